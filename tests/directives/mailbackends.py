"""A test mail backend that behaves like an SMTP server with faults: it refuses the
addresses in ``REFUSE`` for good (550) and drops the connection the first ``n`` times a
message goes to an address of ``FLAKY`` (address -> n). What it accepts lands in
``django.core.mail.outbox`` like Django's locmem backend."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend

REFUSE: set[str] = set()
FLAKY: dict[str, int] = {}


class FaultyBackend(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            for address in message.recipients():
                if address in REFUSE:
                    raise smtplib.SMTPRecipientsRefused(
                        {address: (550, b"5.1.1 <%s>: mailbox unavailable" % address.encode())}
                    )
                if FLAKY.get(address, 0) > 0:
                    FLAKY[address] -= 1
                    raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
