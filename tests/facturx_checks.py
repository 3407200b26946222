"""Checks of Factur-X files the tests share: the XSD (``factur-x``'s own check) and the EN 16931
schematron run locally with Saxon-HE (``saxonche``), as the ``factur-x`` library would through
a Saxon server."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from facturx import get_xml_from_pdf, xml_check_xsd
from lxml import etree
from saxonche import PySaxonProcessor

SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}


@cache
def _stylesheet() -> Path:
    return Path(
        str(resources.files("facturx") / "xsd_and_schematron" / "facturx-en16931" / "FACTUR-X_EN16931.xslt")
    )


def schematron_errors(xml: bytes) -> list[str]:
    """The EN 16931 schematron's failed assertions (fatal ones) on ``xml``, as ``[id] text``."""
    with PySaxonProcessor(license=False) as saxon:
        executable = saxon.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(_stylesheet()))
        node = saxon.parse_xml(xml_text=xml.decode("utf-8"))
        report = executable.transform_to_string(xdm_node=node)
    root = etree.fromstring(report.encode("utf-8"))
    errors = []
    for failed in root.xpath("//svrl:failed-assert | //svrl:successful-report", namespaces=SVRL):
        if failed.get("flag", "fatal") != "fatal":
            continue
        text = " ".join("".join(failed.itertext()).split())
        errors.append(f"[{failed.get('id')}] {text}")
    return errors


def embedded_xml(pdf: bytes) -> bytes:
    """The ``factur-x.xml`` a Factur-X PDF carries (checked against the XSD)."""
    name, xml = get_xml_from_pdf(pdf, check_xsd=True)
    assert name == "factur-x.xml", name
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931")
    return bytes(xml)
