"""The release page in a real headless browser (Debian's chromium, driven by Selenium): it loads with
no console errors, search filters the list, a clicked figure highlights exactly its quote in the
source text, and a chart draws per indicator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from commdata.release.site import page_data

from conftest import HOHHOT, run

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"  # Debian's; .ci/run installs them


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("site")
    package = folder / "package"
    assert run("build", HOHHOT, "--out", package).exit_code == 0
    assert run("site", package, "--out", folder / "site").exit_code == 0
    return folder / "site" / "index.html", page_data(package)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def loaded(browser, page):
    path, data = page
    browser.get(path.as_uri())
    return browser, data


def test_page_is_self_contained(page) -> None:
    text = page[0].read_text(encoding="utf-8")
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "") and "https://" not in text.split(
        '<script type="application/json"')[0]
    assert "<link" not in text and "src=" not in text


def test_page_loads_without_console_errors(loaded) -> None:
    browser, data = loaded
    errors = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    assert errors == []
    assert data["package"]["version"] in browser.find_element(By.ID, "title").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "#records tbody tr")) == len(data["records"])


def test_search_filters_the_list(loaded) -> None:
    browser, data = loaded
    box = browser.find_element(By.ID, "search")
    box.send_keys("城镇就业")
    visible = browser.execute_script(  # one call for the whole list, not one per row
        "return [...document.querySelectorAll('#records tbody tr')].filter(row => !row.hidden)"
        ".map(row => row.dataset.id);")
    expected = [record["id"] for record in data["records"]
                if "城镇就业" in record["indicator"] + record["quote"] + (record["figure"] or "")]
    assert visible == expected and 0 < len(visible) < len(data["records"])
    assert browser.find_element(By.ID, "count").text == f"{len(expected)} of {len(data['records'])} records"


def test_clicking_a_figure_highlights_exactly_its_quote(loaded) -> None:
    browser, data = loaded
    for record in [r for r in data["records"] if r["figure"]][:8]:
        browser.find_element(By.CSS_SELECTOR, f'button.figure[data-id="{record["id"]}"]').click()
        mark = browser.find_element(By.ID, "highlight")
        assert mark.text == record["quote"]
        assert mark.find_element(By.TAG_NAME, "strong").text == record["figure"]
        source = data["sources"][record["source_id"]]["text"]
        assert browser.find_element(By.ID, "source").text == source


def test_a_chart_draws_per_indicator(loaded) -> None:
    browser, data = loaded
    codes = {record["indicator_code"] for record in data["records"] if record["indicator_code"] and record["value"]}
    drawn = browser.execute_script(  # every chart's points in one call, not one call per chart
        "return Object.fromEntries([...document.querySelectorAll('svg[data-indicator]')]"
        ".map(chart => [chart.dataset.indicator, chart.querySelectorAll('.point').length]));")
    assert set(drawn) == codes
    for code, points in drawn.items():
        assert points == len([r for r in data["records"] if r["indicator_code"] == code and r["value"]])


def test_page_data_is_embedded_exactly(page) -> None:
    text = page[0].read_text(encoding="utf-8")
    embedded = text.split('<script type="application/json" id="data">', 1)[1].split("</script>", 1)[0]
    assert json.loads(embedded.replace("<\\/", "</")) == json.loads(json.dumps(page[1], ensure_ascii=False))


def test_assessments_are_listed(browser, two_years_page) -> None:
    path, data = two_years_page
    browser.get(path.as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "#assessments tbody tr")
    assert len(rows) == len(data["assessments"]) > 0
    verdicts = {row.get_attribute("data-target"): row.find_elements(By.TAG_NAME, "td")[-1].text for row in rows}
    assert verdicts["150100-cpc-c13-p07-t065"] == "exceeded"
    assert verdicts["150100-cpc-c13-p07-t051"] == "met (set by hand)"
    assert not browser.find_element(By.ID, "no-assessments").is_displayed()


@pytest.fixture(scope="module")
def two_years_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The page of the frozen Hohhot package plus the invented following-year meeting."""
    import shutil
    folder = tmp_path_factory.mktemp("two-years")
    project = folder / "project"
    shutil.copytree(HOHHOT / "data", project / "data")
    following = Path(__file__).resolve().parent / "fixtures" / "following-year" / "data"
    for part in ("meetings", "sources"):
        for path in (following / part).iterdir():
            shutil.copy(path, project / "data" / part / path.name)
    assert run("build", project, "--out", folder / "package").exit_code == 0
    assert run("site", folder / "package", "--out", folder / "site").exit_code == 0
    return folder / "site" / "index.html", page_data(folder / "package")
