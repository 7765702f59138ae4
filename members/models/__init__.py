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
from .partners import Agreement, AgreementKind, Partner, PartnerCategory
from .submissions import Submission, SubmissionKind, SubmissionStatus
from .user import User, UserManager

__all__ = [
    "Agreement",
    "AgreementKind",
    "BoardMandate",
    "Contact",
    "FeeReminder",
    "FeeSchedule",
    "Gender",
    "HeadOfGovernment",
    "Invoice",
    "InvoiceStatus",
    "MemberCity",
    "MemberKind",
    "MemberStatus",
    "MembershipChange",
    "Partner",
    "PartnerCategory",
    "Payment",
    "PaymentMethod",
    "Region",
    "Submission",
    "SubmissionKind",
    "SubmissionStatus",
    "User",
    "UserManager",
]
