"""The live safeguards audit: does the state the platform holds keep the safeguards?"""
