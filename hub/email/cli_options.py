"""``zuoxi-hub serve`` options of the email channel, and the EmailConfig they make.

Passwords are given as ``--imap-password-env NAME`` / ``--imap-password-file PATH``
(likewise for SMTP), never as values on the command line.
"""

from __future__ import annotations

import argparse

from hub.email.config import (
    AfterImport,
    ConfigError,
    DemoSinkSettings,
    EmailConfig,
    ImapSettings,
    ReceiverSettings,
    Security,
    SmtpSettings,
    read_secret,
)


def add_email_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("email channel")
    group.add_argument("--email-mailbox", metavar="ADDRESS",
                       help="the support address customers write to (enables email)")
    group.add_argument("--email-name", default="Support", help="display name on sent mail")
    group.add_argument("--imap-host")
    group.add_argument("--imap-port", type=int, default=993)
    group.add_argument("--imap-user", default="")
    group.add_argument("--imap-password-env", metavar="VAR")
    group.add_argument("--imap-password-file", metavar="PATH", help="a 0600 file")
    group.add_argument("--imap-folder", default="INBOX")
    group.add_argument("--imap-security", choices=[Security.TLS.value, Security.PLAIN.value],
                       default="tls", help="tls (IMAPS), or plain for a loopback test server")
    group.add_argument("--imap-ca-file", metavar="PEM", help="trust this CA for IMAP")
    group.add_argument("--imap-allow-plain-remote", action="store_true",
                       help="allow --imap-security plain to a non-loopback host (the password "
                       "travels in clear; logged as a warning at every connection)")
    group.add_argument("--imap-after", choices=[a.value for a in AfterImport], default="flag",
                       help="what to do with imported mail (default: flag as seen)")
    group.add_argument("--imap-processed-folder", default="Zuoxi/Processed")
    group.add_argument("--imap-poll", type=float, default=60.0, metavar="SECONDS")
    group.add_argument("--imap-lease", type=float, default=30.0, metavar="SECONDS",
                       help="hub processes sharing a database: another takes over the "
                            "mailbox this long after its importer stopped renewing")
    group.add_argument("--smtp-host")
    group.add_argument("--smtp-port", type=int, default=587)
    group.add_argument("--smtp-user", default="")
    group.add_argument("--smtp-password-env", metavar="VAR")
    group.add_argument("--smtp-password-file", metavar="PATH", help="a 0600 file")
    group.add_argument("--smtp-security", choices=[s.value for s in Security],
                       default="starttls")
    group.add_argument("--smtp-ca-file", metavar="PEM")
    group.add_argument("--smtp-allow-plain-remote", action="store_true",
                       help="allow --smtp-security plain to a non-loopback host (the password "
                       "travels in clear; logged as a warning at every connection)")
    group.add_argument("--smtp-backoff", type=float, default=30.0, metavar="SECONDS",
                       help="first retry delay after a temporary failure (doubles)")
    group.add_argument("--smtp-attempts", type=int, default=6)
    group.add_argument("--smtp-receiver-port", type=int, metavar="PORT",
                       help="run the embedded SMTP receiver on this port (0: any free one)")
    group.add_argument("--smtp-receiver-host", default="127.0.0.1")
    group.add_argument("--email-upload-ttl", type=float, default=24 * 3600, metavar="SECONDS",
                       help="delete attachments uploaded for a mail that was never sent after "
                       "this long (default a day)")
    group.add_argument("--email-demo-sink", metavar="MAILDIR",
                       help="demos and trials only: send replies to a loopback SMTP sink that "
                       "keeps them in this Maildir and delivers nothing (not with --smtp-host)")


def email_config(args: argparse.Namespace) -> EmailConfig | None:
    """The email settings given, or None. Raises ConfigError with a clear message."""
    if not args.email_mailbox:
        if (args.imap_host or args.smtp_host or args.smtp_receiver_port is not None
                or args.email_demo_sink):
            raise ConfigError("--email-mailbox is needed with the IMAP/SMTP options")
        return None
    imap = None
    if args.imap_host:
        imap = ImapSettings(
            host=args.imap_host, port=args.imap_port, username=args.imap_user,
            password=read_secret(args.imap_password_env, args.imap_password_file),
            folder=args.imap_folder, security=Security(args.imap_security),
            ca_file=args.imap_ca_file, after_import=AfterImport(args.imap_after),
            processed_folder=args.imap_processed_folder, poll_s=args.imap_poll,
            allow_plain_remote=args.imap_allow_plain_remote, lease_s=args.imap_lease,
        )
    smtp = None
    if args.smtp_host:
        smtp = SmtpSettings(
            host=args.smtp_host, port=args.smtp_port, username=args.smtp_user,
            password=read_secret(args.smtp_password_env, args.smtp_password_file),
            security=Security(args.smtp_security), ca_file=args.smtp_ca_file,
            backoff_s=args.smtp_backoff, max_attempts=max(1, args.smtp_attempts),
            allow_plain_remote=args.smtp_allow_plain_remote,
        )
    receiver = None
    if args.smtp_receiver_port is not None:
        receiver = ReceiverSettings(host=args.smtp_receiver_host, port=args.smtp_receiver_port)
    demo_sink = None
    if args.email_demo_sink:
        if smtp is not None:
            raise ConfigError("--email-demo-sink keeps replies instead of sending them: it "
                              "cannot be combined with --smtp-host")
        demo_sink = DemoSinkSettings(directory=args.email_demo_sink)
    return EmailConfig(mailbox=args.email_mailbox, display_name=args.email_name, imap=imap,
                       smtp=smtp, receiver=receiver, demo_sink=demo_sink,
                       upload_ttl_s=max(1.0, args.email_upload_ttl))
