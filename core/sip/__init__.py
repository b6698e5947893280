"""SIP phone (Qt-free, sans-I/O): messages, transactions, dialogs, digest, registration, calls."""
