// Our own persisted Trajectory (what `swe-srl trajectories --out` writes), so saved output loads like any format.
import { parseRows, type TrajectoryFormat } from '../format.ts';
import { TrajectorySchema } from '../schema.ts';
import { isRecord } from '../text.ts';
import type { Trajectory } from '../types.ts';

export const normalizedFormat: TrajectoryFormat = {
  name: 'swe-srl',
  description: 'normalized swe-srl Trajectory JSON (versioned; one object or a list)',
  detect(json) {
    const t = Array.isArray(json) ? json[0] : json;
    return isRecord(t) && 'version' in t && typeof t.format === 'string' && Array.isArray(t.steps) && 'instanceId' in t;
  },
  parse({ json, file }) {
    return parseRows({ json, file, schema: TrajectorySchema, build: (t) => t as Trajectory });
  },
};
