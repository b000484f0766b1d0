"""Drafts of a chase as text a person sends (SPEC §7.5): one editable Jinja2 template per form."""
