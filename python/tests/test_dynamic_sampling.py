"""The dynamic sampling filter's degenerate cases (pure, no torch)."""

import math
import unittest

from swe_srl.dynamic_sampling import group_stds, keep_groups


class DynamicSamplingFilterTest(unittest.TestCase):
    def test_population_std_per_group(self):
        self.assertEqual(group_stds([0, 1, 1, 1], 2), [0.5, 0.0])
        self.assertAlmostEqual(group_stds([1, 2, 3], 3)[0], math.sqrt(2 / 3))

    def test_keeps_only_groups_above_epsilon(self):
        self.assertEqual(keep_groups([-1, -1, 0.2, 0.3, 1, 1], 2, 0.01), [False, True, False])
        self.assertEqual(keep_groups([0.2, 0.3], 2, 0.05), [False])  # std 0.05 is not > 0.05

    def test_degenerate_groups(self):
        self.assertEqual(keep_groups([0.3, 0.9], 1, 0.0), [False, False])  # a group of one has no spread
        self.assertEqual(keep_groups([float("nan"), 1.0, float("nan"), float("nan")], 2, 0.0), [False, False])
        self.assertEqual(keep_groups([float("nan"), 0.0, 1.0], 3, 0.0), [True])
        self.assertEqual(keep_groups([], 4, 0.0), [])
        with self.assertRaises(ValueError):
            group_stds([1, 2, 3], 2)


if __name__ == "__main__":
    unittest.main()
