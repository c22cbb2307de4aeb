package dev.eff.interpreter.run;

import java.util.List;

/** Plain-text tables with a header rule; columns from {@code rightFrom} on are right-aligned (numbers). */
public final class Table {
    private Table() {}

    public static String render(List<String[]> rows, int rightFrom) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < rows.size(); n++) {
            String[] r = rows.get(n);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                if (i > 0) line.append("  ");
                String pad = " ".repeat(w[i] - r[i].length());
                line.append(i >= rightFrom ? pad + r[i] : r[i] + pad);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (n == 0) {
                int total = 0;
                for (int x : w) total += x;
                sb.append("─".repeat(total + 2 * (cols - 1))).append('\n');
            }
        }
        return sb.toString();
    }
}
