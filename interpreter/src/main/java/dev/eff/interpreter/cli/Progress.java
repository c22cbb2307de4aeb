package dev.eff.interpreter.cli;

import dev.eff.dsl.check.EvalJob;
import dev.eff.dsl.check.Job;
import dev.eff.dsl.check.TrainJob;
import dev.eff.interpreter.run.RunEvents;
import dev.eff.interpreter.train.TrainListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Shows a run's progress: on a terminal one line redrawn in place (bar, loss, examples/s, elapsed and remaining
 * time, fitted to the terminal's width); otherwise (pipes, CI logs) a plain line about every 5 % of a run or every
 * 10 seconds, whichever comes first. Nothing is drawn before the first step has finished, and the remaining time
 * is shown once it can be estimated (from the last steps' pace, see {@link Eta}).
 */
public final class Progress implements RunEvents {
    private static final int MIN_BAR = 8, MAX_BAR = 30;
    private static final String[] PARTIAL = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    private final PrintStream out;
    private final int width;
    private final boolean colour;
    private Bar active;

    /** {@code width} is the terminal's width in columns, or 0 for plain lines. */
    public Progress(PrintStream out, int width) { this(out, width, false); }

    /** With {@code colour}, generated tokens are shaded by the block they exited at ({@link ExitShading}). */
    public Progress(PrintStream out, int width, boolean colour) {
        this.out = out;
        this.width = width;
        this.colour = colour;
    }

    @Override
    public void jobStarted(Job job) {
        if (job instanceof EvalJob e) out.println("evaluate " + e.model().instance() + " on " + e.data().name() + "." + e.split());
        if (job instanceof dev.eff.dsl.check.ProgramJob p) {
            out.println(p.program().name() + " " + p.model().instance() + " on " + p.data().name() + "." + p.split());
        }
    }

    @Override
    public void note(dev.eff.dsl.check.ProgramJob job, String message) { out.println(message); }

    /** Generated text goes to the terminal as it comes. */
    @Override
    public java.io.OutputStream stream(dev.eff.dsl.check.ProgramJob job) { return out; }

    @Override
    public dev.eff.interpreter.programs.TokenSink tokens(dev.eff.dsl.check.ProgramJob job, int blocks) {
        return colour && blocks > 0 ? new ExitShading(out, blocks).start() : dev.eff.interpreter.programs.TokenSink.plain(out);
    }

    @Override
    public TrainListener training(TrainJob job) { return listener("train " + job.model().instance()); }

    TrainListener listener(String task) {
        if (width == 0) return new Lines(task);
        active = new Bar(task);
        return active;
    }

    /** Ends a progress line left open by a run that stopped early, so what is printed next starts on its own line. */
    public void endLine() {
        if (active != null) active.finished();
    }

    /**
     * The progress line, at most {@code width - 1} characters (the last column would wrap on some terminals).
     * When space runs short, examples/s goes first, then the task name is shortened to keep a bar of at least
     * {@value #MIN_BAR} cells, and only on very narrow terminals does the bar go.
     */
    static String line(String task, long step, long total, double loss, String aux, double examplesPerSecond,
                       double elapsed, double remaining, int width) {
        String core = String.format(Locale.ROOT, "%d/%d  loss %.4f%s  elapsed %s%s", step, total, loss, aux, clock(elapsed),
                Double.isNaN(remaining) ? "" : "  left " + clock(remaining));
        String speed = String.format(Locale.ROOT, "  %.0f ex/s", examplesPerSecond);
        int room = width - 1;
        for (String extra : new String[] {speed, ""}) {
            int cells = Math.min(MAX_BAR, room - task.length() - core.length() - extra.length() - 4);
            if (cells >= MIN_BAR) return task + " " + bar(step, total, cells) + " " + core + extra;
        }
        int taskRoom = room - core.length() - MIN_BAR - 4;
        if (taskRoom >= 12) return cut(task, taskRoom) + " " + bar(step, total, MIN_BAR) + " " + core;
        return cut(task + " " + core, room);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)) + "…";
    }

    private static String bar(long step, long total, int cells) {
        long eighths = total <= 0 ? 0 : Math.min(8L * cells, 8L * cells * step / total);
        int full = (int) (eighths / 8);
        String partial = full < cells ? PARTIAL[(int) (eighths % 8)] : "";
        return "▕" + "█".repeat(full) + partial + " ".repeat(cells - full - partial.length()) + "▏";
    }

    @Override
    public void resumed(TrainJob job, Path checkpoint, long step) {
        out.println("train " + job.model().instance() + ": resuming from " + checkpoint + " after step " + step);
    }

    /** {@code ", aux balance 0.0123 zloss 1.23"}: a model's auxiliary losses for the progress line, or nothing. */
    static String auxiliaries(java.util.Map<String, Double> aux) {
        if (aux.isEmpty()) return "";
        StringBuilder sb = new StringBuilder(", aux");
        aux.forEach((name, v) -> sb.append(' ').append(name).append(' ').append(String.format(Locale.ROOT, "%.4g", v)));
        return sb.toString();
    }

    private final class Bar implements TrainListener {
        private final String task;
        private final Eta eta = new Eta();
        private double lastDraw = -1;
        private int drawn;
        private String last;
        private String aux = "";

        @Override
        public void auxiliaries(long step, java.util.Map<String, Double> values) { aux = Progress.auxiliaries(values); }

        Bar(String task) { this.task = task; }

        @Override
        public void step(long step, long totalSteps, double loss, long examplesSeen, double seconds) {
            eta.observe(step, seconds);
            if (seconds - lastDraw < 0.25 && step != totalSteps) return;
            lastDraw = seconds;
            draw(line(task, step, totalSteps, loss, aux, examplesSeen / Math.max(seconds, 1e-9), seconds,
                    eta.remaining(totalSteps), width));
        }

        private void draw(String text) {
            out.print("\r" + text + " ".repeat(Math.max(0, drawn - text.length())));
            out.flush();
            drawn = text.length();
            last = text;
        }

        @Override
        public void checkpointed(long step, Path path) {
            if (last != null) {
                out.println();
                out.println("  checkpoint at step " + step + ": " + path);
                drawn = 0;
            }
        }

        @Override
        public void finished() {
            if (last != null) out.println();
            last = null;
        }
    }

    private final class Lines implements TrainListener {
        private final String task;
        private final Eta eta = new Eta();
        private long every;
        private double lastPrint;
        private String aux = "";

        @Override
        public void auxiliaries(long step, java.util.Map<String, Double> values) { aux = Progress.auxiliaries(values); }

        Lines(String task) { this.task = task; }

        @Override
        public void started(long totalSteps, long examples) {
            every = Math.max(1, totalSteps / 20);
            out.println(task + ": " + totalSteps + " steps over " + examples + " examples");
        }

        @Override
        public void step(long step, long totalSteps, double loss, long examplesSeen, double seconds) {
            eta.observe(step, seconds);
            if (step % every != 0 && step != totalSteps && seconds - lastPrint < 10) return;
            lastPrint = seconds;
            double left = eta.remaining(totalSteps);
            out.printf(Locale.ROOT, "%s  step %d/%d  loss %.4f%s  %.0f ex/s  elapsed %s%s%n", task, step, totalSteps,
                    loss, aux, examplesSeen / Math.max(seconds, 1e-9), clock(seconds), Double.isNaN(left) ? "" : "  left " + clock(left));
        }

        @Override
        public void checkpointed(long step, Path path) { out.println(task + "  checkpoint at step " + step + ": " + path); }
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
