from surveys.models.fieldwork import (
    CompilationFetch,
    Confirmation,
    ContactPerson,
    EmailLog,
    FormSubmission,
    InvitationBatch,
    Participation,
    QuestionnaireEvent,
    ResponseEvent,
    SubmissionConfirmation,
)
from surveys.models.imports import ImportUpload
from surveys.models.people import Invitation, Membership
from surveys.models.questionnaire import (
    Cycle,
    Question,
    Questionnaire,
    QuestionType,
    ReferenceFigure,
    Section,
)
from surveys.models.response import Answer, AnswerChange, Response

__all__ = [
    "Answer",
    "AnswerChange",
    "CompilationFetch",
    "Confirmation",
    "ContactPerson",
    "Cycle",
    "EmailLog",
    "FormSubmission",
    "ImportUpload",
    "Invitation",
    "InvitationBatch",
    "Membership",
    "Participation",
    "Question",
    "QuestionType",
    "Questionnaire",
    "QuestionnaireEvent",
    "ReferenceFigure",
    "Response",
    "ResponseEvent",
    "Section",
    "SubmissionConfirmation",
]
