// Test ids and the files they live in.

/** The file part of a pytest test id: `tests/test_x.py::Class::test[param]` -> `tests/test_x.py`. */
export function testFileOf(testId: string): string {
  const i = testId.indexOf('::');
  return i === -1 ? testId : testId.slice(0, i);
}
