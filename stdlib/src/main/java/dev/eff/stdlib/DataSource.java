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
}
