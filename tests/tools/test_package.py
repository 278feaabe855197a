"""tools/package.py: each stage's zip, unpacked alone, serves every market of the stage.

The package is imported in a `python -S -I` that sees the standard library, boto3 and its
dependencies (what the Lambda runtime has) and the unpacked zip, nothing else; it reads a
moto server that this process runs and loads with the project's loader.
"""

from __future__ import annotations

import json
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
from tools import coldstart, package, package_contents, package_prune, package_runtime

# Builds share Chalice's dependency cache (.chalice/deployments): one xdist worker runs them.
pytestmark = pytest.mark.xdist_group("package")

STAGES = ["eu", "us", "ap"]
# Issue 13: under 1.0 MB each (0.93, 0.66 and 0.64 MB for python3.12 on arm64, with bytecode);
# chalice's own zip is 30.8 MB.
MAX_ZIP_BYTES = 1_000_000
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
                folder = tmp_path_factory.mktemp(f"build-{stage}")
                built[stage] = package.build(stage, folder, runtime=package_runtime.local())
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
    """Every page lists all 18 markets, named as the package was built (market_names.json)."""
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
    assert not [n for n in names if n.endswith((".po", ".pot")) or "__pycache__" in n]
    # Modules ship as bytecode of the runtime's Python (the handler module aside).
    sources = [n for n in names if n.endswith(".py")]
    assert sources == ["app.py"] and "chalicelib/web/render.pyc" in names
    assert not [n for n in names if n.split("/")[0] in {"boto3", "botocore", "urllib3"}]
    not_run = (*package_prune.NOT_RUN, *package_prune.EDITOR_TOOLING, "tools/", "tests/")
    assert not [n for n in names if n.startswith(not_run)]
    assert not package_prune.editor_only(set(names))
    assert not [n for n in served["result"]["modules"] if n.startswith(("babel.messages", "tools"))]
    assert not [n for n in served["result"]["modules"] if ".importer" in n]
    catalogs = sorted(n.split("/")[1] for n in names if n.endswith(".mo"))
    chains = {name for m in MARKETS.values() for name in m.translation_chain}
    assert set(catalogs) <= chains and set(catalogs) == set(built.catalogs)
    assert built.zip_path.stat().st_size < MAX_ZIP_BYTES
    libraries = package_prune.TRADEIN_LIBRARIES
    assert any(n.startswith(libraries) for n in names) is (built.stage != "ap")


def test_zip_is_deterministic(served, tmp_path):
    """Pruning an already pruned zip changes no byte: order, dates and modes are fixed."""
    built = served["package"]
    copy = tmp_path / "again.zip"
    copy.write_bytes(built.zip_path.read_bytes())
    package_prune.prune(copy, built.locale_data, built.catalogs)
    assert copy.read_bytes() == built.zip_path.read_bytes()


def test_zip_holds_its_markets_legal_pages_and_serves_them(served, moto_endpoint):
    """legal/ ships through vendor/legal like templates/: the unpacked zip answers its pages."""
    markets = package_contents.served_markets(served["stage"])
    with zipfile.ZipFile(served["package"].zip_path) as zipped:
        shipped = {n for n in zipped.namelist() if n.startswith("legal/")}
        for market in markets:
            path = f"legal/{market.code}.json"
            assert zipped.read(path) == legal.path_of(market.code).read_bytes(), market.code
    assert shipped == {f"legal/{m.code}.json" for m in markets}
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


def test_another_stages_market_gets_a_page_in_a_language_of_this_stage(served, moto_endpoint):
    """The zip has no data of other stages' markets: their addresses answer in its own."""
    stage = served["stage"]
    mine = package_contents.served_markets(stage)
    foreign = [m for m in MARKETS.values() if m not in mine]
    canned = [events.load("home", market=m.code, headers={"host": "shop.example"}) for m in foreign]
    refused = []  # and a method the route does not take, answered by the fallback
    for market in foreign:
        event = events.load("home", market=market.code, headers={"host": "shop.example"})
        event["httpMethod"] = event["requestContext"]["httpMethod"] = "DELETE"
        refused.append(event)
    env = coldstart.stage_environment(stage, f"package-test-{stage}", moto_endpoint)
    result = coldstart.run_app(served["task"], served["runtime"], canned + refused, env)
    answers = result["responses"]
    for market, response, refusal in zip(foreign, answers, answers[len(foreign) :], strict=False):
        page = response["body"]
        assert response["status"] == 404, (market.code, page[:500])
        language = re.search(r'<html lang="([^"]+)">', page).group(1)
        same = [m.html_lang for m in mine if m.language == market.language]
        english = [m.html_lang for m in mine if m.language == "en"]
        assert language in (same or english), (market.code, language)
        offer = market_offer(market.code, translations_for(market.translation_chain))
        assert f'lang="{market.html_lang}">{escape(offer)}</a>' in page, market.code
        assert refusal["status"] == 405, (market.code, refusal["body"][:500])
        assert f'<html lang="{language}">' in refusal["body"], market.code


def test_snapstart_hooks_warm_the_zip_and_a_restored_copy_serves_pages(served, moto_endpoint):
    """Lambda's order: import, hooks before the snapshot; in a copy, hooks after, then pages."""
    stage = served["stage"]
    market = package_contents.served_markets(stage)[0]
    canned = coldstart.page_events([market], served["product"]["id"])
    asked = [canned[1][2], canned[0][2]]  # the product page first, then the home page
    env = coldstart.stage_environment(stage, f"package-test-{stage}", moto_endpoint)
    result = coldstart.run_app(
        served["task"], served["runtime"], asked, env, coldstart.RUN_SNAPSTART
    )
    assert result["hooks"] == [1, 1]
    assert [r["status"] for r in result["responses"]] == [200, 200]
    assert f'<html lang="{market.html_lang}">' in result["responses"][0]["body"]
    # Everything the first page needs was imported before the snapshot.
    late = [n for n in result["imported_after_restore"] if n.split(".")[0] in {
        "app", "chalice", "chalicelib", "jinja2", "markupsafe", "babel", "stdnum"
    }]  # fmt: skip
    assert late == []
    # A page opened a connection; the next restore drops it (the next page opens its own).
    before, after = result["pools"]
    assert sum(before) >= 1 and sum(after) == 0


@pytest.fixture(scope="session")
def deployed(tmp_path_factory):
    """eu's package for the runtime it is deployed on: python3.12 on arm64."""
    return package.build("eu", tmp_path_factory.mktemp("build-eu-target"))


def test_the_deployed_package_is_for_python_3_12_on_arm64_with_snapstart(deployed):
    template = json.loads(deployed.template_path.read_text())
    function = template["Resources"]["APIHandler"]["Properties"]
    assert function["Runtime"] == "python3.12" and function["Architectures"] == ["arm64"]
    globals_ = template["Globals"]["Function"]
    assert globals_["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    assert globals_["AutoPublishAlias"] == "live"
    # API Gateway calls the published alias (SnapStart restores versions, never $LATEST).
    api = json.dumps(template["Resources"]["RestAPI"])
    assert "${APIHandlerAliaslive}" in api and "${APIHandler.Arn}" not in api
    permission = template["Resources"]["APIHandlerInvokePermission"]["Properties"]
    assert permission["FunctionName"] == {"Ref": "APIHandlerAliaslive"}
    with zipfile.ZipFile(deployed.zip_path) as zipped:
        names = zipped.namelist()
        compiled = [n for n in names if n.endswith(".so")]
        bytecode = zipped.read("chalicelib/web/render.pyc") if deployed.python else b""
    # MarkupSafe's compiled part is the target's, not this machine's.
    assert compiled == ["markupsafe/_speedups.cpython-312-aarch64-linux-gnu.so"]
    assert deployed.zip_path.stat().st_size < MAX_ZIP_BYTES
    if deployed.python:  # a Python 3.12 on this machine compiled the bytecode
        magic = subprocess.run(
            [deployed.python, "-c", "import importlib.util as u; print(u.MAGIC_NUMBER.hex())"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        assert bytecode[:4].hex() == magic
    else:
        assert "chalicelib/web/render.py" in names


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda t: t["Resources"]["APIHandler"]["Properties"].update(Runtime="python3.11"),
         "runtime python3.11 has no SnapStart"),
        (lambda t: t["Globals"]["Function"].pop("SnapStart"), "SnapStart is not on"),
        (lambda t: t["Resources"].update(RestAPI=json.loads(json.dumps(
            t["Resources"]["RestAPI"]).replace("${APIHandlerAliaslive}", "${APIHandler.Arn}"))),
         "does not invoke the function's published alias"),
        (lambda t: t["Resources"]["APIHandlerInvokePermission"]["Properties"].update(
            FunctionName={"Ref": "APIHandler"}), "permission is not on the function's alias"),
    ],
)  # fmt: skip
def test_infra_check_holds_the_deployed_template_to_snapstart(deployed, edit, problem):
    from infra import check

    template = json.loads(deployed.template_path.read_text())
    assert check.check_snapstart(template) == []
    edit(template)
    assert [p for p in check.check_snapstart(template) if problem in p]


def test_a_cold_page_loads_only_its_own_markets_locale_data(served, moto_endpoint):
    """Babel data is loaded per market on first use: one page reads its own locale chain."""
    stage = served["stage"]
    for market in package_contents.served_markets(stage)[:2]:
        event = coldstart.page_events([market], served["product"]["id"])[1][2]
        env = coldstart.stage_environment(stage, f"package-test-{stage}", moto_endpoint)
        result = coldstart.run_app(served["task"], served["runtime"], [event], env)
        assert result["responses"][0]["status"] == 200
        chain = package_contents.locale_data_needed([market.locale])
        assert result["locales_loaded"] == chain, (market.code, result["locales_loaded"])


def _event(resource: str, query: dict | None = None, **parameters: str) -> dict:
    """A canned event moved to another route of the app."""
    event = events.load("home", query=query or {}, headers={"host": "shop.example"})
    event["resource"] = resource
    event["pathParameters"] = parameters or None
    event["path"] = resource.format(**parameters)
    event["requestContext"].update(path=event["path"], resourcePath=resource)
    return event


def test_every_kind_of_page_renders_from_the_trimmed_zip(served, moto_endpoint):
    """Listing, search, cart, picker, sitemap, a 404 and trade-in read only the trimmed data."""
    stage, product = served["stage"], served["product"]
    asked = []
    for market in package_contents.served_markets(stage):
        code = market.code
        asked += [
            (
                market,
                200,
                _event("/{market}/l/{category}", market=code, category=product["category"]),
            ),
            (market, 200, _event("/{market}/search", {"q": product["brand"]}, market=code)),
            (market, 200, _event("/{market}/cart", market=code)),
            (market, 404, _event("/{market}/p/{product}", market=code, product="no-such-thing")),
            (market, 200, _event("/{market}/sitemap.xml", market=code)),
        ]
        if market.trade_in:
            asked.append((market, 200, _event("/{market}/trade-in", market=code)))
    asked.append((None, 200, _event("/", {"choose": "1"})))
    env = coldstart.stage_environment(stage, f"package-test-{stage}", moto_endpoint)
    result = coldstart.run_app(served["task"], served["runtime"], [e for *_, e in asked], env)
    for (market, status, event), response in zip(asked, result["responses"], strict=True):
        where = (event["path"], response["body"][:300])
        assert response["status"] == status, where
        if market is not None and not event["path"].endswith(".xml"):
            assert f'<html lang="{market.html_lang}">' in response["body"], where
