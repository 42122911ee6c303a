"""The dictionary of the words in an agency's client names, that typed names are expanded against."""

from django.db import models

from agencies.models import Agency, AgencyQuerySet


class NameWord(models.Model):
    """A word that occurs in the names of an agency's clients: the dictionary typed names are expanded against."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    word = models.CharField(max_length=60)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "word"], name="clients_nameword_unique_per_agency")]

    def __str__(self) -> str:
        return self.word
