"""The pages as a person sees them: headless Chromium (Debian's, driven by Selenium) on a real server.

One browser session for the whole module. Screenshots go to the test's temporary directory, and the checks read
the rendered page (what is visible, what the editor shows after Run), not only the markup.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import LiveServer

from service.http.assets import yasgui_installed

pytestmark = pytest.mark.server

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--window-size=1280,1600")  # fmt: skip


SCREENSHOTS = Path(os.environ["SCREENSHOTS_DIR"]) if os.environ.get("SCREENSHOTS_DIR") else None


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver_path:
        _missing("chromium and chromedriver are missing: run `make browser` (as root) to install them")
    if not yasgui_installed():
        _missing("the query editor is not installed: run `make assets`")
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not try to download a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(driver_path)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _wait(driver: object, css: str, timeout: float = 20.0) -> list[object]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def found(d: object) -> list[object] | bool:
        elements = d.find_elements(By.CSS_SELECTOR, css)  # type: ignore[attr-defined]
        return elements or False

    return WebDriverWait(driver, timeout).until(found)  # type: ignore[arg-type, no-any-return]


def _shot(driver: object, tmp_path: Path, name: str) -> Path:
    """A screenshot of the page, kept in SCREENSHOTS_DIR when set (to look at them), else in the test's tmp dir."""
    path = (SCREENSHOTS or tmp_path) / f"{name}.png"
    driver.save_screenshot(str(path))  # type: ignore[attr-defined]
    assert path.stat().st_size > 10_000, "the screenshot is blank"
    return path


def test_the_query_page_runs_a_query_in_the_editor_and_shows_the_rows(
    browser: object, live_server: LiveServer, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(live_server.base_url + "sparql?lang=en")  # type: ignore[attr-defined]
    _wait(driver, ".yasqe .CodeMirror")
    form = driver.find_element(By.ID, "query-form")  # type: ignore[attr-defined]
    assert not form.is_displayed(), "the editor replaces the plain form when JavaScript runs"
    editor_text = driver.execute_script("return document.querySelector('.yasqe .CodeMirror').CodeMirror.getValue()")  # type: ignore[attr-defined]
    assert "SELECT" in editor_text and "PREFIX cper:" in editor_text
    driver.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()  # type: ignore[attr-defined]
    cells = _wait(driver, ".yasr table tbody tr td")
    rows = driver.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr")  # type: ignore[attr-defined]
    assert len(rows) >= 2 and cells
    text = driver.find_element(By.CSS_SELECTOR, ".yasr").text  # type: ignore[attr-defined]
    assert "6 results" in text and "Soutenir les territoires" in text  # the first example: the six axes
    fetched = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")  # type: ignore[attr-defined]
    assert fetched and all(url.startswith(live_server.base_url) for url in fetched), fetched  # no CDN, no lookups
    _shot(driver, tmp_path, "query-after-run")


def test_a_permalink_opens_the_page_with_the_query_and_its_results(
    browser: object, live_server: LiveServer, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    query = f"SELECT ?number WHERE {{ ?axis <{live_server.base_url}def/cper#number> ?number }} ORDER BY ?number"
    driver.get(f"{live_server.base_url}sparql?lang=en&query={quote(query)}")  # type: ignore[attr-defined]
    _wait(driver, ".yasqe .CodeMirror")
    editor_text = driver.execute_script("return document.querySelector('.yasqe .CodeMirror').CodeMirror.getValue()")  # type: ignore[attr-defined]
    assert editor_text.strip() == query
    table = driver.find_element(By.CSS_SELECTOR, "#server-results table.results")  # type: ignore[attr-defined]
    assert table.is_displayed()
    assert "?number" in table.text and "1" in table.text
    permalink = driver.find_element(By.ID, "permalink").get_attribute("href")  # type: ignore[attr-defined]
    assert quote(query, safe="") in permalink or "query=" in permalink
    _shot(driver, tmp_path, "query-permalink")


def test_the_home_page_shows_the_charts_and_the_search_box(
    browser: object, live_server: LiveServer, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(live_server.base_url + "?lang=en")  # type: ignore[attr-defined]
    charts = driver.find_elements(By.CSS_SELECTOR, "figure svg[role=img]")  # type: ignore[attr-defined]
    assert len(charts) == 4 and all(chart.is_displayed() and chart.size["height"] > 100 for chart in charts)
    assert "€994 million" in charts[0].text and "amount not published" in charts[0].text
    head = driver.find_element(By.CSS_SELECTOR, "link[rel=canonical]").get_attribute("href")  # type: ignore[attr-defined]
    assert head == live_server.base_url
    description = driver.find_element(By.CSS_SELECTOR, "meta[name=description]")  # type: ignore[attr-defined]
    assert "linked open data" in description.get_attribute("content")
    assert driver.find_element(By.ID, "site-search-q").is_displayed()  # type: ignore[attr-defined]
    _shot(driver, tmp_path, "home-en")


@pytest.mark.parametrize(("lang", "heading", "iri_label"), [("fr", "Département du Nord", "IRI :"),
                                                             ("en", "Département of Nord", "IRI:")])  # fmt: skip
def test_a_resource_page_in_each_language(
    browser: object, live_server: LiveServer, tmp_path: Path, lang: str, heading: str, iri_label: str
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(f"{live_server.base_url}doc/organisation/departement-du-nord?lang={lang}")  # type: ignore[attr-defined]
    assert driver.find_element(By.TAG_NAME, "h1").text == heading  # type: ignore[attr-defined]
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang  # type: ignore[attr-defined]
    muted = driver.find_element(By.CSS_SELECTOR, "article > p.muted").text  # type: ignore[attr-defined]
    assert muted.startswith(iri_label + " http")
    incoming = driver.find_element(By.ID, "referenced-heading")  # type: ignore[attr-defined]
    assert incoming.is_displayed()
    menu = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "header nav a")]  # type: ignore[attr-defined]
    assert all(f"lang={lang}" in href or "lang=" in href for href in menu)
    _shot(driver, tmp_path, f"resource-{lang}")


def test_the_search_page_and_its_autocomplete(browser: object, live_server: LiveServer, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(f"{live_server.base_url}search?q=nord&lang=en")  # type: ignore[attr-defined]
    results = driver.find_elements(By.CSS_SELECTOR, "#search-results ol.results li a")  # type: ignore[attr-defined]
    assert "Département of Nord" in [a.text for a in results]
    box = driver.find_element(By.ID, "search-q")  # type: ignore[attr-defined]
    box.clear()
    box.send_keys("amien")
    options = _wait(driver, "#search-suggestions-page option")
    values = [option.get_attribute("value") for option in options]  # type: ignore[attr-defined]
    assert any("Amiens" in value for value in values)
    _shot(driver, tmp_path, "search-en")
