package dev.eff.interpreter.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eff.interpreter.train.Checkpoints;
import dev.eff.interpreter.train.OpProfiler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code eff run --profile} shows: a table of the slowest ops per train statement, and a Chrome trace. */
public final class Profiles {
    private Profiles() {}

    /** The {@code top} slowest op rows of one profiled train statement, then the time between ops and the total. */
    public static String render(String label, OpProfiler p, int top) {
        if (p.profiledSteps() == 0) return "profile of " + label + ": no step was profiled (the run was shorter than the warm-up)\n";
        List<OpProfiler.Row> rows = p.rows();
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"op", "output shapes", "calls", "ms/step", "share"});
        List<OpProfiler.Row> ops = rows.subList(0, rows.size() - 1);
        for (OpProfiler.Row r : ops.subList(0, Math.min(top, ops.size()))) {
            table.add(new String[] {r.type(), r.shapes(), String.format("%.0f", r.callsPerStep()),
                    String.format("%.2f", r.msPerStep()), String.format("%.1f %%", 100 * r.share())});
        }
        if (ops.size() > top) {
            double ms = ops.subList(top, ops.size()).stream().mapToDouble(OpProfiler.Row::msPerStep).sum();
            table.add(new String[] {"(" + (ops.size() - top) + " more)", "", "", String.format("%.2f", ms),
                    String.format("%.1f %%", 100 * ms / p.msPerStep())});
        }
        OpProfiler.Row between = rows.get(rows.size() - 1);
        table.add(new String[] {between.type(), "", "", String.format("%.2f", between.msPerStep()),
                String.format("%.1f %%", 100 * between.share())});
        table.add(new String[] {"step", "", "", String.format("%.2f", p.msPerStep()), "100.0 %"});
        return "profile of " + label + " (" + p.profiledSteps() + " steps; forward and backward ops):\n" + Table.render(table, 2);
    }

    /**
     * Writes every profiled statement's op runs as one Chrome trace (the Trace Event format that chrome://tracing and
     * Perfetto open): one complete event per op run, one thread per train statement, times in microseconds.
     */
    public static void writeTrace(Map<String, OpProfiler> profiles, Path file) throws IOException {
        List<Map<String, Object>> events = new ArrayList<>();
        int tid = 0;
        for (var e : profiles.entrySet()) {
            tid++;
            events.add(Map.of("name", "thread_name", "ph", "M", "pid", 1, "tid", tid, "args", Map.of("name", e.getKey())));
            for (OpProfiler.Event ev : e.getValue().events()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", ev.type());
                m.put("cat", "op");
                m.put("ph", "X");
                m.put("ts", ev.startNanos() / 1e3);
                m.put("dur", ev.nanos() / 1e3);
                m.put("pid", 1);
                m.put("tid", tid);
                m.put("args", Map.of("op", ev.op(), "shapes", ev.shapes()));
                events.add(m);
            }
        }
        Map<String, Object> trace = Map.of("traceEvents", events, "displayTimeUnit", "ms");
        Checkpoints.write(file, tmp -> new ObjectMapper().writeValue(tmp.toFile(), trace));
    }
}
