import { describe, expect, it } from 'vitest';
import { getLogParser, logParserNames, parseTestLog, REPO_TO_PARSER, repoToParser } from '../../src/harness/log-parsers/index.ts';
import { pySplit, pyStrip } from '../../src/harness/log-parsers/py-text.ts';

const obj = (m: Map<string, string>) => Object.fromEntries(m);

const PYTEST_LOG = `============================= test session starts ==============================
platform linux -- Python 3.9.19, pytest-7.4.4, pluggy-1.5.0
rootdir: /testbed
collected 6 items

tests/test_config.py ..F.sx                                              [100%]

=================================== FAILURES ===================================
______________________________ test_from_file_mode _____________________________
    def test_from_file_mode():
>       assert app.config.from_file("x.toml", load=tomllib.load, text=False)
E       TypeError: from_file() got an unexpected keyword argument 'text'
tests/test_config.py:41: TypeError
==================================== PASSES ====================================
=========================== short test summary info ============================
PASSED tests/test_config.py::test_config_from_pyfile
PASSED tests/test_config.py::test_config_from_object
FAILED tests/test_config.py::test_from_file_mode - TypeError: from_file() got an unexpected keyword argument 'text'
PASSED tests/test_config.py::test_session_lifetime
SKIPPED [1] tests/test_config.py:88: requires python-dotenv
XFAIL tests/test_config.py::test_known_bug - reason: flaky on CI
ERROR tests/test_config.py::test_with_fixture - fixture 'tmp' not found
PASSED
=================== 1 failed, 3 passed, 1 skipped, 1 xfailed in 0.12s ===================
`;

describe('pytest', () => {
  it('reads the -rA summary lines', () => {
    expect(obj(parseTestLog('pytest', PYTEST_LOG))).toEqual({
      'tests/test_config.py::test_config_from_pyfile': 'PASSED',
      'tests/test_config.py::test_config_from_object': 'PASSED',
      'tests/test_config.py::test_from_file_mode': 'FAILED',
      'tests/test_config.py::test_session_lifetime': 'PASSED',
      'tests/test_config.py::test_known_bug': 'XFAIL',
      'tests/test_config.py::test_with_fixture': 'ERROR',
    });
  });

  it('keeps the first field of a parametrized id with spaces, and "[100%]" of wrapped progress lines', () => {
    const log = 'PASSED tests/test_a.py::test_x[a b]\nPASSED [100%]\nSKIPPED [3] tests/test_a.py:10: no numpy\n';
    expect(obj(parseTestLog('pytest', log))).toEqual({ 'tests/test_a.py::test_x[a': 'PASSED', '[100%]': 'PASSED' });
  });

  it('ignores indented, bare and non-status lines, and keeps any first word a status starts (SWE-bench 5.x)', () => {
    const log = '  PASSED tests/x.py::t\nPASSEDX tests/x.py::u\nXPASS tests/x.py::v\nFAILED\nERROR: file or directory not found: a.py\n';
    expect(obj(parseTestLog('pytest', log))).toEqual({ 'tests/x.py::u': 'PASSEDX', file: 'ERROR:' });
  });

  it('lets a later line overwrite the status but not the order', () => {
    const m = parseTestLog('pytest', 'FAILED a::t1\nPASSED a::t2\nPASSED a::t1\n');
    expect([...m]).toEqual([
      ['a::t1', 'PASSED'],
      ['a::t2', 'PASSED'],
    ]);
  });
});

describe('pytest_options (requests, pylint, pydicom)', () => {
  it('reduces absolute-path options to their last segment', () => {
    const log = [
      'PASSED tests/test_requests.py::TestRequests::test_invalid_url[MissingSchema-hiwpefhipowhefopw]',
      'PASSED tests/test_lint.py::test_run[/tmp/pytest-of-root/pytest-0/test_run0/a.py]',
      'FAILED tests/test_lint.py::test_glob[/tmp/*/b.py] - AssertionError',
      'PASSED tests/test_lint.py::test_url[//server/share]',
      'PASSED tests/test_x.py::test_plain',
      'PASSED tests/test_x.py::test_tail[/a/b]extra',
    ].join('\n');
    expect(obj(parseTestLog('requests', log))).toEqual({
      'tests/test_requests.py::TestRequests::test_invalid_url[MissingSchema-hiwpefhipowhefopw]': 'PASSED',
      'tests/test_lint.py::test_run[/a.py]': 'PASSED',
      'tests/test_lint.py::test_glob[/tmp/*/b.py]': 'FAILED',
      'tests/test_lint.py::test_url[//server/share]': 'PASSED',
      'tests/test_x.py::test_plain': 'PASSED',
      'tests/test_x.py::test_tail[/b]': 'PASSED',
    });
  });
});

describe('pytest_v2 (astropy, scikit-learn, sphinx)', () => {
  it('strips ANSI colours, keeps spaces in ids and drops FAILED messages', () => {
    const log = [
      '\x1b[32mPASSED\x1b[0m tests/test_build.py::test_html[with space]',
      '\x1b[31mFAILED\x1b[0m tests/test_util.py::test_parse - assert 1 == 2 - really',
      'SKIPPED [2] tests/test_util.py:12: needs docutils',
      'ERROR tests/test_ext.py::test_load',
      'tests/test_old.py::test_legacy PASSED',
      'tests/test_old.py::test_gone\tFAILED',
      '\x1b[1m\x1b[31mFAILED\x1b[0m tests/test_x.py::test_y[a - b]',
    ].join('\n');
    expect(obj(parseTestLog('sphinx', log))).toEqual({
      'tests/test_build.py::test_html[with space]': 'PASSED',
      'tests/test_util.py::test_parse': 'FAILED',
      'tests/test_ext.py::test_load': 'ERROR',
      'tests/test_old.py::test_legacy': 'PASSED',
      'tests/test_x.py::test_y[a': 'FAILED',
    });
  });

  it('removes tabs and escapes before splitting, as SWE-bench does', () => {
    // "\t" is removed, so "test_goneFAILED" is one word: the line ends with FAILED but has a single field
    expect(parseTestLog('pytest_v2', 'tests/test_old.py::test_gone\tFAILED\n').size).toBe(0);
    expect(obj(parseTestLog('pytest_v2', 'PASSED a.py::t[x\x1b[0;31my]\n'))).toEqual({ 'a.py::t[x[0;31my]': 'PASSED' });
  });
});

describe('matplotlib', () => {
  it('rewrites MouseButton reprs', () => {
    const log = 'PASSED lib/matplotlib/tests/test_widgets.py::test_span_selector_drag[MouseButton.LEFT]\nFAILED lib/matplotlib/tests/test_backend.py::test_click[MouseButton.RIGHT-x] - msg\n';
    expect(obj(parseTestLog('matplotlib', log))).toEqual({
      'lib/matplotlib/tests/test_widgets.py::test_span_selector_drag[1]': 'PASSED',
      'lib/matplotlib/tests/test_backend.py::test_click[3-x]': 'FAILED',
    });
  });
});

const DJANGO_LOG = `Testing against Django installed in '/testbed/django' with up to 8 processes
Importing application validators
Skipping setup of unused database(s): default, other.
System check identified no issues (0 silenced).
test_ascii_validator (auth_tests.test_validators.UsernameValidatorsTests) ... ok
test_unicode_validator (auth_tests.test_validators.UsernameValidatorsTests) ... FAIL
test_help_text (auth_tests.test_validators.MinimumLengthValidatorTest) ... ERROR
test_skip_me (auth_tests.test_validators.X) ... skipped 'Requires sqlparse'
test_prints (auth_tests.test_validators.Y) ... some stray output
that continues here
ok
test_upper (auth_tests.test_validators.Z) ...  OK
  test_indented (auth_tests.test_validators.Z) ... ok

======================================================================
FAIL: test_unicode_validator (auth_tests.test_validators.UsernameValidatorsTests)
----------------------------------------------------------------------
Traceback (most recent call last):
AssertionError: ValidationError not raised
======================================================================
ERROR: test_other (auth_tests.test_validators.W)
----------------------------------------------------------------------
FAIL:
Ran 7 tests in 0.012s

FAILED (failures=1, errors=2, skipped=1)
`;

describe('django', () => {
  it('reads verbose results, FAIL:/ERROR: headers and results pushed to a later line', () => {
    expect(obj(parseTestLog('django', DJANGO_LOG))).toEqual({
      'test_ascii_validator (auth_tests.test_validators.UsernameValidatorsTests)': 'PASSED',
      'test_unicode_validator (auth_tests.test_validators.UsernameValidatorsTests)': 'FAILED',
      'test_help_text (auth_tests.test_validators.MinimumLengthValidatorTest)': 'ERROR',
      'test_skip_me (auth_tests.test_validators.X)': 'SKIPPED',
      'test_prints (auth_tests.test_validators.Y)': 'PASSED',
      'test_upper (auth_tests.test_validators.Z)': 'PASSED',
      'test_indented (auth_tests.test_validators.Z)': 'PASSED',
      test_unicode_validator: 'FAILED',
      test_other: 'ERROR',
    });
  });

  it('handles the interrupted-output forms and the django-7188 migration line', () => {
    const log = [
      'test_a (x.T) ... System check identified no issues (0 silenced)',
      'ok',
      "test_b (x.T) ... Testing against Django installed in '/testbed/django'",
      'with up to 4 processes (0 silenced).',
      'ok',
      'test_c (x.T) ... Internal Server Error: /admin/x/',
      'ok',
      'Applying sites.0002_alter_domain_unique...test_no_migrations (migrations.test_loader.T) ... ok',
      '--version is equivalent to version',
    ].join('\n');
    const m = obj(parseTestLog('django', log));
    expect(m['test_a (x.T)']).toBe('PASSED');
    expect(m['test_b (x.T)']).toBe('PASSED');
    expect(m['test_c (x.T)']).toBe('PASSED');
    expect(m['test_no_migrations (migrations.test_loader.T)']).toBe('PASSED');
    expect(m['--version is equivalent to version']).toBe('PASSED');
  });

  it('a lone "ok" after other text credits the last test that printed " ... "', () => {
    const m = parseTestLog('django', 'test_x (a.B) ... FAIL\nokay then\n');
    expect(m.get('test_x (a.B)')).toBe('PASSED');
  });
});

const SYMPY_LOG = `============================= test process starts ==============================
executable:         /usr/bin/python3  (3.11.2-final-0) [CPython]
architecture:       64-bit
cache:              no
random seed:        6052340
hash randomization: on (PYTHONHASHSEED=2398118041)

sympy/core/tests/test_basic.py[22] 
test__aresame ok
test_structure ok
test_immutable F
test_preorder_traversal E
test_skipped_thing s
test_xfailing f                                                              [FAIL]

________________________________________________________________________________
_______________ sympy/core/tests/test_basic.py:test_immutable _________________
Traceback (most recent call last):
AssertionError

============ tests finished: 2 passed, 1 failed, 1 exceptions, in 0.05 seconds ============
DO *NOT* COMMIT!
`;

describe('sympy', () => {
  it('reads verbose result lines and failure headers', () => {
    expect(obj(parseTestLog('sympy', SYMPY_LOG))).toEqual({
      'sympy/core/tests/test_basic.py:test_immutable': 'FAILED',
      test__aresame: 'PASSED',
      test_structure: 'PASSED',
      test_immutable: 'FAILED',
      test_preorder_traversal: 'ERROR',
    });
  });
});

describe('seaborn', () => {
  it('reads FAILED/PASSED summaries and verbose "id PASSED" lines only', () => {
    const log = [
      'tests/test_core.py::TestHueMapping::test_init_from_map PASSED [ 10%]',
      'tests/test_core.py::TestHueMapping::test_other FAILED [ 20%]',
      'PASSED tests/test_core.py::TestSizeMapping::test_map',
      'FAILED tests/test_core.py::TestStyle::test_x - ValueError',
      'SKIPPED [1] tests/test_core.py:9: no scipy',
      'ERROR tests/test_core.py::test_err',
      'tests/x.py PASSED PASSED',
    ].join('\n');
    expect(obj(parseTestLog('seaborn', log))).toEqual({
      'tests/test_core.py::TestHueMapping::test_init_from_map': 'PASSED',
      'tests/test_core.py::TestSizeMapping::test_map': 'PASSED',
      'tests/test_core.py::TestStyle::test_x': 'FAILED',
      'tests/x.py': 'PASSED',
    });
  });
});

describe('registry', () => {
  it('covers every Lite repository', () => {
    for (const repo of [
      'django/django', 'sympy/sympy', 'scikit-learn/scikit-learn', 'matplotlib/matplotlib', 'pytest-dev/pytest',
      'sphinx-doc/sphinx', 'astropy/astropy', 'psf/requests', 'pylint-dev/pylint', 'pydata/xarray',
      'mwaskom/seaborn', 'pallets/flask',
    ]) {
      expect(typeof getLogParser(repoToParser(repo))).toBe('function');
    }
    expect(repoToParser('psf/requests')).toBe('requests');
    expect(getLogParser('requests')).toBe(getLogParser('pytest_options'));
    expect(getLogParser('sphinx')).toBe(getLogParser('pytest_v2'));
    expect(Object.keys(REPO_TO_PARSER)).toHaveLength(18);
  });

  it('accepts SWE-bench dataset names and lists valid names for unknown ones', () => {
    expect(getLogParser('parse_log_django')).toBe(getLogParser('django'));
    expect(() => getLogParser('junit')).toThrow(/unknown log parser "junit".*Valid parsers: astroid, astropy, django/);
    expect(() => repoToParser('foo/bar')).toThrow(/no log parser is known for repository "foo\/bar"/);
    expect(logParserNames()).toContain('pytest_options');
  });
});

describe('python text semantics', () => {
  it('splits and strips on Python whitespace, not JS whitespace', () => {
    expect(pySplit('  a\x1cb\u00a0c \ufeffd ')).toEqual(['a', 'b', 'c', '\ufeffd']);
    expect(pyStrip('\x85 x \x1f')).toBe('x');
  });
});
