"""How much one customer's answers, or one API request, may hold: the wizard, its services, the
database fields and the API all read these, so a plan the API builds fits a profile and back.

Sized for the largest real customer with room to spare, and so that one plan stays a PDF of a
bounded number of pages (apps.exports.pdf).
"""

MAX_RECIPIENT_ACCOUNTS = 50  # organisations (Mimecast accounts) per profile or request
MAX_DOMAINS_PER_ACCOUNT = 20
MAX_FROM_ADDRESSES = 20
MAX_TEXT = 200  # organisation, contact and display names, share-link labels
MAX_EMAIL = 254  # RFC 5321 §4.5.3.1.3: the longest forward path, less its angle brackets
