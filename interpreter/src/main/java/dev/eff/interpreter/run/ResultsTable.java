package dev.eff.interpreter.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table {@code eff run} prints at the end: one row per final loss and per metric. */
public final class ResultsTable {
    private ResultsTable() {}

    public static String render(RunReport report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"model", "data", "metric", "value", "time"});
        for (JobReport j : report.jobs()) {
            String data = j.data() + "." + j.split();
            String time = String.format(Locale.ROOT, "%.1f s", j.seconds());
            if (j.finalLoss() != null) rows.add(new String[] {j.model(), data, "loss (last step)", number(j.finalLoss()), time});
            if (j.metrics() != null) {
                j.metrics().forEach((name, value) -> rows.add(new String[] {j.model(), data, name, number(value), time}));
            }
        }
        return Table.render(rows, 4);
    }

    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return Double.toString(v);
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e6)) return String.format(Locale.ROOT, "%.3e", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
