from surveys.models.people import Invitation, Membership
from surveys.models.questionnaire import (
    Cycle,
    Question,
    Questionnaire,
    QuestionType,
    Section,
)
from surveys.models.response import Answer, AnswerChange, Response

__all__ = [
    "Answer",
    "AnswerChange",
    "Cycle",
    "Invitation",
    "Membership",
    "Question",
    "QuestionType",
    "Questionnaire",
    "Response",
    "Section",
]
