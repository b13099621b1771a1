from django.urls import reverse

from tisserand.guidance import loading


def _appellation(label_start, fiche):
    for code, (label, fiche_code) in loading.appellation_index().items():
        if fiche_code == fiche and label.startswith(label_start):
            return code
    raise AssertionError(label_start)


def test_explore_flow(client, referentials):
    response = client.get(reverse("guidance:explore"))
    assert response.status_code == 200
    code = _appellation("Aide-soignant", "J1501")
    response = client.get(
        reverse("guidance:explore"),
        {"metier_1_code": str(code), "metier_1": "", "action": "competences", "temps": "any"},
    )
    assert response.status_code == 200, response.content.decode()[:3000]
    content = response.content.decode()
    assert 'name="competences"' in content
    response = client.get(
        reverse("guidance:explore"),
        {
            "metier_1_code": str(code),
            "metier_1": "",
            "action": "resultats",
            "temps": "any",
            "commune_code": "59512",
            "commune": "",
            "rayon": "20",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.get(response["Location"])
    assert response.status_code == 200
    print(response.content.decode()[:100])
