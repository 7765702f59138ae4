"""The secretariat's pages of an event that takes registrations, outside the
admin: the event desk (figures and actions), the check-in page at the door
(a phone: search by name or scan the QR code), the online attendance import,
the certificates job and the messages to registrants."""
