"""tools/package.py: each stage's zip, unpacked alone, serves every market of the stage.

The package is imported in a `python -S -I` that sees the standard library, boto3 and its
dependencies (what the Lambda runtime has) and the unpacked zip, nothing else; it reads a
moto server that this process runs and loads with the project's loader.
"""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from markupsafe import escape

from chalicelib.i18n.formatting import Formatter
from chalicelib.i18n.names import country_name, market_name, market_offer
from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.money import Money
from chalicelib.storefront import legal
from tests import events
from tools import coldstart, package, package_contents, package_prune

STAGES = ["eu", "us", "ap"]
# Measured at 1.50 MB for each stage before trade-in (docs/package.md); chalice's own zip is
# 28.8 MB. Trade-in's sealing brings cryptography's compiled part (4.7 MB) to eu and us only.
MAX_ZIP_BYTES = {"eu": 7_000_000, "us": 7_000_000, "ap": 2_000_000}
HOME_TEXT = ("Shop by category", "Refurbished tech, tested and guaranteed", "What the grades mean")
PRODUCT_TEXT = ("Condition", "Specifications", "Release year")
PRICE = re.compile(r'<div class="price">(.*?)</div>')


def _registry_reachable() -> bool:
    """Whether pip reaches the package index it is configured with."""
    command = [sys.executable, "-m", "pip", "index", "versions", "markupsafe"]
    command += ["--retries", "0", "--timeout", "10", "--disable-pip-version-check"]
    return subprocess.run(command, capture_output=True).returncode == 0


@pytest.fixture(scope="session")
def build(tmp_path_factory):
    """Build a stage's package once per session (chalice downloads Linux wheels)."""
    built: dict[str, package.Package] = {}

    def get(stage: str) -> package.Package:
        if stage not in built:
            try:
                built[stage] = package.build(stage, tmp_path_factory.mktemp(f"build-{stage}"))
            except package.PackageError as error:
                if not _registry_reachable():
                    pytest.skip(f"the package registry is unreachable, chalice needs it: {error}")
                raise
        return built[stage]

    return get


@pytest.fixture(scope="session")
def moto_endpoint():
    """A moto server on loopback that the unpacked package reads over HTTP."""
    server, endpoint = coldstart.start_moto()
    yield endpoint
    server.stop()


@pytest.fixture(scope="session")
def runtime_site(tmp_path_factory) -> Path:
    """boto3, botocore and their dependencies alone, as the Lambda runtime offers them."""
    return coldstart.runtime_site(tmp_path_factory.mktemp("runtime"))


@pytest.fixture(scope="module", params=STAGES)
def served(request, build, moto_endpoint, runtime_site, tmp_path_factory):
    """A stage's package unpacked into an empty folder, and its answers to every page asked."""
    stage = request.param
    built = build(stage)
    region = package.STAGES[stage]["region"]
    catalog = coldstart.sample_catalog(stage)
    table = f"package-test-{stage}"
    coldstart.load_table(moto_endpoint, region, table, catalog)
    task = tmp_path_factory.mktemp(f"task-{stage}")
    assert not any(task.iterdir())
    coldstart.unpack(built.zip_path, task)
    product = catalog["products"][0]
    canned = coldstart.page_events(package_contents.served_markets(stage), product["id"])
    pages = [(kind, market) for kind, market, _ in canned]
    events = [event for _, _, event in canned]
    env = coldstart.stage_environment(stage, table, moto_endpoint)
    result = coldstart.run_app(task, runtime_site, events, env)
    return {
        "stage": stage,
        "package": built,
        "task": task,
        "runtime": runtime_site,
        "product": product,
        "result": result,
        "pages": list(zip(pages, result["responses"], strict=True)),
    }


def test_pages_of_every_market_render_in_its_language(served):
    for (kind, market), response in served["pages"]:
        assert response["status"] == 200, (kind, market.code, response["body"][:2000])
        body = response["body"]
        assert f'<html lang="{market.html_lang}">' in body, (kind, market.code)
        texts = translations_for(market.translation_chain)
        for msgid in HOME_TEXT if kind == "home" else PRODUCT_TEXT:
            assert str(escape(texts.gettext(msgid))) in body, (kind, market.code, msgid)


def test_product_price_is_formatted_for_the_market(served):
    product = served["product"]
    for (kind, market), response in served["pages"]:
        if kind != "product":
            continue
        sold = product["markets"][market.code]
        fmt = Formatter(market)
        note = translations_for(market.translation_chain).gettext("(tax included)")
        note = note if market.tax_note == "zeikomi" else ""  # Japan: 税込 beside each price
        prices = {fmt.price(Money(o["price"], sold["currency"])) + note for o in sold["offers"]}
        shown = [re.sub(r"<[^>]*>", "", found) for found in PRICE.findall(response["body"])]
        assert len(shown) == 1 and shown[0] in prices, (market.code, shown, sorted(prices))


def test_market_switcher_names_every_market_in_its_own_language(served):
    """Every page lists all 18 markets: their locale data and catalogs are in every zip."""
    for (_, market), response in served["pages"]:
        body = response["body"]
        for code in MARKETS:
            label = f"{country_name(code)} · {market_name(code)}"
            assert str(escape(label)) in body, (market.code, code, label)
            offer = market_offer(code, translations_for(MARKETS[code].translation_chain))
            assert f'data-offer="{escape(offer)}"' in body, (market.code, code)


def test_only_the_zip_the_runtime_and_the_standard_library_are_imported(served):
    task, runtime = f"{served['task']}/", f"{served['runtime']}/"
    stdlib = {f"{sysconfig.get_paths()[key]}/" for key in ("stdlib", "platstdlib")}
    modules = served["result"]["modules"]
    for name, path in modules.items():
        allowed = (runtime,) if name.split(".")[0] in coldstart.RUNTIME_MODULES else (task, *stdlib)
        assert path.startswith(allowed) and "site-packages" not in path, (name, path)
    for name in ("app", "chalice", "chalicelib", "jinja2", "markupsafe", "babel"):
        assert modules[name].startswith(task), (name, modules[name])
    assert modules["boto3"].startswith(runtime)


def test_zip_holds_only_what_the_pages_read(served):
    built = served["package"]
    with zipfile.ZipFile(built.zip_path) as zipped:
        names = zipped.namelist()
    data = sorted(
        n.removeprefix(package_prune.LOCALE_DATA).removesuffix(".dat")
        for n in names
        if n.startswith(package_prune.LOCALE_DATA) and n.endswith(".dat")
    )
    # Babel's own loading, in the real pages, reads exactly the locale files shipped.
    assert data == served["result"]["locales_loaded"]
    assert not [n for n in names if n.endswith((".po", ".pot", ".pyc")) or "__pycache__" in n]
    assert not [n for n in names if n.split("/")[0] in {"boto3", "botocore", "urllib3"}]
    not_run = (*package_prune.NOT_RUN, *package_prune.EDITOR_TOOLING, "tools/", "tests/")
    assert not [n for n in names if n.startswith(not_run)]
    assert not package_prune.editor_only(set(names))
    assert not [n for n in served["result"]["modules"] if n.startswith(("babel.messages", "tools"))]
    assert not [n for n in served["result"]["modules"] if ".importer" in n]
    catalogs = sorted(n.split("/")[1] for n in names if n.endswith(".mo"))
    chains = {name for m in MARKETS.values() for name in m.translation_chain}
    assert set(catalogs) <= chains and set(catalogs) == set(built.catalogs)
    assert built.zip_path.stat().st_size < MAX_ZIP_BYTES[built.stage]
    libraries = package_prune.TRADEIN_LIBRARIES
    assert any(n.startswith(libraries) for n in names) is (built.stage != "ap")


def test_zip_is_deterministic(served, tmp_path):
    """Pruning an already pruned zip changes no byte: order, dates and modes are fixed."""
    built = served["package"]
    copy = tmp_path / "again.zip"
    copy.write_bytes(built.zip_path.read_bytes())
    package_prune.prune(copy, built.locale_data, built.catalogs)
    assert copy.read_bytes() == built.zip_path.read_bytes()


def test_zip_holds_every_markets_legal_pages_and_serves_them(served, moto_endpoint):
    """legal/ ships through vendor/legal like templates/: the unpacked zip answers its pages."""
    with zipfile.ZipFile(served["package"].zip_path) as zipped:
        for code in MARKETS:
            assert zipped.read(f"legal/{code}.json") == legal.path_of(code).read_bytes(), code
    markets = package_contents.served_markets(served["stage"])
    headers = {"host": "shop.example"}
    asked = [(m, slug) for m in markets for slug in legal.page_slugs(m.code)]
    canned = [events.load("legal", market=m.code, page=slug, headers=headers) for m, slug in asked]
    env = coldstart.stage_environment(
        served["stage"], f"package-test-{served['stage']}", moto_endpoint
    )
    result = coldstart.run_app(served["task"], served["runtime"], canned, env)
    for (market, slug), response in zip(asked, result["responses"], strict=True):
        title = legal.legal_for(market.code).pages[slug].title
        assert response["status"] == 200, (market.code, slug, response["body"][:500])
        assert f"<h1>{escape(title)}</h1>" in response["body"], (market.code, slug)


def test_template_points_at_the_zip(served):
    built = served["package"]
    text = built.template_path.read_text()
    assert '"CodeUri": "./deployment.zip"' in text
    assert (built.template_path.parent / "deployment.zip") == built.zip_path


def test_unknown_stage_is_refused(capsys):
    assert package.main(["moon"]) == 2
    assert "unknown stage 'moon'" in capsys.readouterr().err


def test_templates_are_compiled_into_the_zip_and_the_pages_use_them(served):
    with zipfile.ZipFile(served["package"].zip_path) as zipped:
        names = zipped.namelist()
        listed = zipped.read("templates_compiled/MANIFEST").decode().split()
    compiled = [n for n in names if n.startswith("templates_compiled/tmpl_")]
    assert len(compiled) == len(listed) and "storefront/product.html" in listed
    assert not [n for n in listed if n.startswith("admin/")]  # the editor's are its own zip's
    # The sources are not in the zip (but the layout, whose script CSP hashes): every page the
    # tests above rendered came from the modules.
    assert "templates/base.html" in names
    sources = [n for n in names if n.startswith("templates/") and n != "templates/base.html"]
    assert not [n for n in sources if n.removeprefix("templates/") in listed]
