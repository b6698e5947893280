"""The email channel: raw store, parser, threading, IMAP and SMTP in and out."""
