"""The portal: pages rendered on the server (Jinja2), in Simplified Chinese and English."""
