package dev.eff.interpreter.cli;

import dev.eff.dsl.check.EvalJob;
import dev.eff.dsl.check.Job;
import dev.eff.dsl.check.TrainJob;
import dev.eff.interpreter.run.RunEvents;
import dev.eff.interpreter.train.TrainListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a run's progress: on a terminal a progress bar (loss, examples/s, ETA); otherwise (pipes, CI logs)
 * a plain line about every 5 % of a run or every 10 seconds, whichever comes first.
 */
final class Progress implements RunEvents {
    private final PrintStream out;
    private final boolean terminal;

    Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void jobStarted(Job job) {
        if (job instanceof EvalJob e) out.println("evaluate " + e.model().instance() + " on " + e.data().name() + "." + e.split());
    }

    @Override
    public void resumed(TrainJob job, Path checkpoint, long step) {
        out.println("train " + job.model().instance() + ": resuming from " + checkpoint + " after step " + step);
    }

    @Override
    public TrainListener training(TrainJob job) {
        String task = "train " + job.model().instance();
        return terminal ? new Bar(task) : new Lines(task);
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
        private ProgressBar bar;
        private String aux = "";

        @Override
        public void auxiliaries(long step, java.util.Map<String, Double> values) { aux = Progress.auxiliaries(values); }

        Bar(String task) { this.task = task; }

        @Override
        public void started(long totalSteps, long examples) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalSteps).setUnit(" steps", 1)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(out)).build();
        }

        @Override
        public void step(long step, long totalSteps, double loss, long examplesSeen, double seconds) {
            bar.stepTo(step);
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f%s, %.0f ex/s", loss, aux, examplesSeen / Math.max(seconds, 1e-9)));
        }

        @Override
        public void checkpointed(long step, Path path) { bar.setExtraMessage("checkpoint " + path.getFileName()); }

        @Override
        public void finished() { bar.close(); }
    }

    private final class Lines implements TrainListener {
        private final String task;
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
            if (step % every != 0 && step != totalSteps && seconds - lastPrint < 10) return;
            lastPrint = seconds;
            double eta = seconds / step * (totalSteps - step);
            out.printf(Locale.ROOT, "%s  step %d/%d  loss %.4f%s  %.0f ex/s  %s elapsed, eta %s%n", task, step, totalSteps,
                    loss, aux, examplesSeen / Math.max(seconds, 1e-9), clock(seconds), clock(eta));
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
