import { defineConfig } from 'tsdown';
import { packageBuild } from '../../tsdown.package.ts';

// Two entries: the OpenTelemetry instrumentation, and `@dalli/otel/prometheus`, which an app can
// mount without OpenTelemetry installed (it imports nothing but Node).
export default defineConfig({ ...packageBuild, entry: ['src/index.ts', 'src/prometheus.ts'] });
