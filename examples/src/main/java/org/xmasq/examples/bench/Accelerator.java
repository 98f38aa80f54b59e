package org.xmasq.examples.bench;

import org.xmasq.examples.testbed.Testbed;

/** The pluggable "accelerate(testbed)" step of the third configuration. */
public interface Accelerator {
    /** A one-line description for the report. */
    String describe();

    /** Attaches to every node of {@code testbed}; the result is closed after the configuration's tests. */
    Acceleration accelerate(Testbed testbed);
}
