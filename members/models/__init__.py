"""Models of the members app, one module per aggregate."""

from .city import (
    BoardMandate,
    Contact,
    Gender,
    HeadOfGovernment,
    MemberCity,
    MemberKind,
    MembershipChange,
    MemberStatus,
    Region,
)
from .fees import FeeReminder, FeeSchedule, Invoice, InvoiceStatus, Payment, PaymentMethod
from .mailings import (
    ConsentRecord,
    ConsentSource,
    Mailing,
    MailingKind,
    MailingRecipient,
    MailingStatus,
    RecipientStatus,
)
from .notifications import (
    CITY_EDITOR_KINDS,
    SECRETARIAT_KINDS,
    Notification,
    NotificationKind,
    NotificationMute,
)
from .partners import Agreement, AgreementKind, Partner, PartnerCategory
from .personal_data import DataRequestKind, DataSubjectKind, PersonalDataRequest
from .reporting import ReportingYear
from .user import User, UserManager

__all__ = [
    "CITY_EDITOR_KINDS",
    "SECRETARIAT_KINDS",
    "Notification",
    "NotificationKind",
    "NotificationMute",
    "Agreement",
    "AgreementKind",
    "BoardMandate",
    "ConsentRecord",
    "ConsentSource",
    "Contact",
    "DataRequestKind",
    "DataSubjectKind",
    "FeeReminder",
    "FeeSchedule",
    "Gender",
    "HeadOfGovernment",
    "Invoice",
    "InvoiceStatus",
    "Mailing",
    "MailingKind",
    "MailingRecipient",
    "MailingStatus",
    "MemberCity",
    "MemberKind",
    "MemberStatus",
    "MembershipChange",
    "Partner",
    "PartnerCategory",
    "Payment",
    "PaymentMethod",
    "PersonalDataRequest",
    "RecipientStatus",
    "Region",
    "ReportingYear",
    "User",
    "UserManager",
]
