// Writes monitoring/alerts.yaml from the chart (scripts/check-chart.sh --update-rules).
import { rulesFile, writeRulesFile } from "./lib/monitoring.mjs";

writeRulesFile();
console.log(`wrote ${rulesFile}`);
