"""config/text/ is data: malformed files give one clear ConfigError, additions need no code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsmon import config
from newsmon.config.schemas.text import parse_dictionary
from newsmon.errors import ConfigError

CONFIG = Path(__file__).resolve().parent.parent / "config"


def load_lexicon():
    return config.lexicon(config.get_settings())


def load_gazetteer():
    return load_lexicon().gazetteer


@pytest.fixture
def config_copy(tmp_path, monkeypatch):
    """A private copy of config/ that a test may break (a changed file is read again)."""
    target = tmp_path / "config"
    shutil.copytree(CONFIG, target)
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(target))
    yield target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_malformed_gazetteer_yaml_names_file_and_line(config_copy):
    places = config_copy / "text" / "places.yaml"
    _edit(places, "  山东: 山东省\n", "  山东: [山东省\n")
    with pytest.raises(ConfigError) as err:
        load_gazetteer()
    message = str(err.value)
    assert "places.yaml" in message and "line" in message
    assert "\n" not in message
    with pytest.raises(ConfigError):
        load_lexicon()


def test_gazetteer_schema_errors_say_what_is_wrong(config_copy):
    places = config_copy / "text" / "places.yaml"
    _edit(places, "  宁夏: [银川,", "  宁夏: [42,")
    with pytest.raises(ConfigError, match=r"places\.yaml line \d+: cities\.宁夏\[0\]: expected text, got 42"):
        load_gazetteer()


def test_a_district_under_an_unknown_city_is_reported(config_copy):
    districts = config_copy / "text" / "districts.yaml"
    _edit(districts, "  雄安新区: {city: 保定,", "  雄安新区: {city: 不存在市,")
    with pytest.raises(ConfigError, match=r"districts\.yaml line \d+: areas\.雄安新区\.city: city 不存在市 is not in places"):
        load_gazetteer()


def test_bad_rules_and_dictionary_are_reported(config_copy):
    rules = config_copy / "text" / "rules.yaml"
    _edit(rules, "      上线: 3\n", "      上线: many\n")
    with pytest.raises(ConfigError, match=r"rules\.yaml line \d+: category\.cues\.application\.上线: expected a number, got 'many'"):
        load_lexicon()
    (config_copy / "text" / "dict.txt").write_text("# words\n区块链 often\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"dict\.txt line 2: frequency must be a whole number"):
        parse_dictionary(config_copy / "text" / "dict.txt")


def test_an_analyst_extends_the_gazetteer_and_organisations_without_code(config_copy):
    _edit(config_copy / "text" / "districts.yaml", "areas:\n", "areas:\n  某某数字港: {city: 杭州, aliases: [数字港]}\n")
    _edit(config_copy / "text" / "organizations.yaml", "central:\n", "central:\n  国家某某管理局: [某某局]\n")
    gaz = load_gazetteer()
    (place,) = gaz.strong["数字港"]
    assert (place.name, place.kind, place.city, place.province) == ("某某数字港", "district", "杭州", "浙江")
    lex = load_lexicon()
    assert lex.central_orgs["某某局"] == "国家某某管理局"
    assert "某某数字港" in lex.jieba_words


def test_the_shipped_gazetteer_is_complete_enough():
    gaz = load_gazetteer()
    assert len(gaz.provinces) == 34 and len(set(gaz.regions.values())) == 7
    assert len(gaz.cities) > 330  # every prefecture-level unit, plus the four municipalities
    for name, (city, province) in {"海淀区": ("北京", "北京"), "雄安新区": ("保定", "河北"), "天府新区": ("成都", "四川"),
                                   "浦东新区": ("上海", "上海"), "德清县": ("湖州", "浙江"), "延边州": ("延边", "吉林")}.items():
        place = gaz.strong[name][0]
        assert (place.city, place.province) == (city, province), name
    assert "白银" not in gaz.strong and "白银市" in gaz.strong  # needs_suffix: 白银 is also silver
    assert gaz.strong["吉林"][0].kind == "provincial" and gaz.strong["吉林市"][0].kind == "city"
