import factory
from stdnum import luhn

from tisserand.accounts.models import User
from tisserand.structures.models import Membership, Structure, StructureKind
from tisserand.structures.roles import Role

TEST_PASSWORD = "Motdepasse-de-test-42"


def _siret(n):
    siren = f"8{n:07d}"
    siren += luhn.calc_check_digit(siren)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"utilisateur{n}@exemple.test")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Structure de test {n}")
    kind = StructureKind.ASSOCIATION
    siret = factory.Sequence(_siret)
    address_line = "1 rue de la Paix"
    postal_code = "59100"
    commune_name = "Roubaix"
    commune_insee = "59512"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(StructureFactory)
    role = Role.REFERENT
