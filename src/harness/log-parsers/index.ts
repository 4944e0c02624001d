// The log-parser registry: one name -> one pure parser, SWE-bench's semantics, plus SWE-bench's repo -> parser map.
// Names are SWE-bench's without the `parse_log_` prefix; the prefixed form (as SWE-bench datasets store it) is
// accepted too.
import { SweSrlError } from '../../util/errors.ts';
import type { StatusMap } from '../test-status.ts';
import { parseDjango } from './django.ts';
import { parseMatplotlib, parsePytest, parsePytestOptions, parsePytestV2 } from './pytest.ts';
import { parseSeaborn } from './seaborn.ts';
import { parseSympy } from './sympy.ts';

export type LogParser = (log: string) => StatusMap;

const PARSERS = {
  pytest: parsePytest,
  pytest_options: parsePytestOptions,
  pytest_v2: parsePytestV2,
  django: parseDjango,
  sympy: parseSympy,
  seaborn: parseSeaborn,
  matplotlib: parseMatplotlib,
  // SWE-bench's per-repo aliases
  astroid: parsePytest,
  flask: parsePytest,
  marshmallow: parsePytest,
  pvlib: parsePytest,
  pyvista: parsePytest,
  sqlfluff: parsePytest,
  xarray: parsePytest,
  pydicom: parsePytestOptions,
  requests: parsePytestOptions,
  pylint: parsePytestOptions,
  astropy: parsePytestV2,
  scikit: parsePytestV2,
  sphinx: parsePytestV2,
} satisfies Record<string, LogParser>;

export type LogParserName = keyof typeof PARSERS;

/** SWE-bench's MAP_REPO_TO_PARSER_PY, by registry name. */
export const REPO_TO_PARSER: Readonly<Record<string, LogParserName>> = {
  'astropy/astropy': 'astropy',
  'django/django': 'django',
  'marshmallow-code/marshmallow': 'marshmallow',
  'matplotlib/matplotlib': 'matplotlib',
  'mwaskom/seaborn': 'seaborn',
  'pallets/flask': 'flask',
  'psf/requests': 'requests',
  'pvlib/pvlib-python': 'pvlib',
  'pydata/xarray': 'xarray',
  'pydicom/pydicom': 'pydicom',
  'pylint-dev/astroid': 'astroid',
  'pylint-dev/pylint': 'pylint',
  'pytest-dev/pytest': 'pytest',
  'pyvista/pyvista': 'pyvista',
  'scikit-learn/scikit-learn': 'scikit',
  'sqlfluff/sqlfluff': 'sqlfluff',
  'sphinx-doc/sphinx': 'sphinx',
  'sympy/sympy': 'sympy',
};

/** The registered parser names, sorted. */
export function logParserNames(): string[] {
  return Object.keys(PARSERS).sort();
}

/** The parser registered under `name` (or `parse_log_<name>`); an unknown name fails listing the valid ones. */
export function getLogParser(name: string): LogParser {
  const key = name.startsWith('parse_log_') ? name.slice('parse_log_'.length) : name;
  if (Object.hasOwn(PARSERS, key)) return PARSERS[key as LogParserName];
  throw new SweSrlError({
    code: 'log_parser_unknown',
    message: `unknown log parser "${name}"`,
    fault: 'user',
    field: 'log_parser',
    value: name,
    hint: `Valid parsers: ${logParserNames().join(', ')}.`,
  });
}

/** The parser name SWE-bench uses for a repository ("owner/name"); fails for repos it has none for. */
export function repoToParser(repo: string): LogParserName {
  const name = REPO_TO_PARSER[repo];
  if (name) return name;
  throw new SweSrlError({
    code: 'log_parser_no_repo',
    message: `no log parser is known for repository "${repo}"`,
    fault: 'user',
    field: 'repo',
    value: repo,
    hint: `Name one in the env spec (log_parser); known repos: ${Object.keys(REPO_TO_PARSER).join(', ')}.`,
  });
}

/** Parses a test log with the named parser. */
export function parseTestLog(name: string, log: string): StatusMap {
  return getLogParser(name)(log);
}
