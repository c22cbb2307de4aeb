package dev.eff.interpreter.run;

import java.io.IOException;
import java.nio.file.Path;

/** A job's details that can draw themselves, as {@code REPORT-jobN-NAME.png} beside the report. */
public interface JobPlot {

    /** The NAME in the file's name. */
    String plotName();

    /** Draws the plot into {@code file}, atomically; {@code title} names the job. */
    void plot(String title, Path file) throws IOException;
}
