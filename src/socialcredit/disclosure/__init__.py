"""What the public sees: a subject's public record and the public lists.

Everything here is read at the store clock's now and filtered by the active
packs' disclosure rules (:mod:`socialcredit.policy.disclosure`): a field the
rules do not publish for a kind of subject is left out of the answer, never
sent empty; names and identity numbers are masked by :mod:`socialcredit.masking`
where the rules say so. A person is named in links by an opaque public
reference (:mod:`socialcredit.store.public_refs`), never by the identity number.

* :func:`~socialcredit.disclosure.public.public_subject`: kind, name, code, the
  list entries in force with their list, authority, ground, legal basis and
  dates, the grades per scheme and the administrative licensing and penalty
  decisions ("double publicity"), as published for the subject's kind;
* :func:`~socialcredit.disclosure.public.public_list`: the entries in force of a
  list, newest first, paged and searchable in what is shown.
"""
