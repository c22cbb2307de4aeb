package dev.eff.dsl.check;

/** A data source: its schema follows from its arguments alone, without reading any data. */
public interface DataSpec extends ComponentSpec {
    DataSchema schema(Args args) throws ShapeException;
}
