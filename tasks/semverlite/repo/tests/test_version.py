import pytest

from semverlite import InvalidVersion, Version


class TestParse:
    def test_core(self):
        v = Version.parse("1.2.3")
        assert (v.major, v.minor, v.patch) == (1, 2, 3)
        assert v.prerelease == () and v.build == ()

    def test_prerelease_and_build(self):
        v = Version.parse("1.0.0-alpha.1+exp.sha.5114f85")
        assert v.prerelease == ("alpha", "1")
        assert v.build == ("exp", "sha", "5114f85")

    @pytest.mark.parametrize("text", ["1.2", "01.2.3", "1.2.3-", "1.2.3+", "v1.2.3", "1.2.3-a..b"])
    def test_invalid(self, text):
        with pytest.raises(InvalidVersion):
            Version.parse(text)

    @pytest.mark.parametrize("text", ["0.0.1", "1.2.3-rc.1", "1.2.3+build.9", "10.20.30-x-y.7+meta"])
    def test_str_roundtrip(self, text):
        assert str(Version.parse(text)) == text


class TestOrdering:
    @pytest.mark.parametrize(
        "lower, higher",
        [
            ("1.0.0", "2.0.0"),
            ("2.0.0", "2.1.0"),
            ("2.1.0", "2.1.1"),
            ("1.9.0", "1.10.0"),
            ("1.0.0-alpha", "1.0.0-alpha.1"),
            ("1.0.0-alpha.beta", "1.0.0-beta"),
            ("1.0.0-beta.11", "1.0.0-rc.1"),
        ],
    )
    def test_less_than(self, lower, higher):
        assert Version.parse(lower) < Version.parse(higher)
        assert Version.parse(higher) > Version.parse(lower)

    def test_build_metadata_ignored(self):
        assert Version.parse("1.0.0+build.1") == Version.parse("1.0.0+build.2")
        assert len({Version.parse("1.0.0+a"), Version.parse("1.0.0+b")}) == 1


class TestBump:
    def test_bump_major(self):
        assert str(Version.parse("1.2.3").bump_major()) == "2.0.0"

    def test_bump_minor(self):
        assert str(Version.parse("1.2.3").bump_minor()) == "1.3.0"

    def test_bump_patch(self):
        assert str(Version.parse("1.2.3").bump_patch()) == "1.2.4"
