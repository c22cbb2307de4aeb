package dev.eff.stdlib;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DataSpec;
import java.nio.file.Path;

/** A data source: its schema (checked statically) and its loader. */
public interface DataSource extends DataSpec, Component {

    /**
     * Loads one split into memory. Relative paths resolve against {@code baseDir} (the script's folder).
     * A missing or malformed file raises {@link DataException} naming the path and what to do.
     */
    Dataset load(Args args, String split, Path baseDir) throws DataException;

    /**
     * Checks cheaply, without loading the data, what {@link #load} would otherwise find late: that the files
     * exist and are regular files and, for tables, that the header names the columns the arguments use. Used by
     * {@code eff check}; a source without files has nothing to verify.
     */
    default void verify(Args args, Path baseDir) throws DataException {}
}
