package org.xmasq.datapath;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the kernel tests: one loaded datapath (default configuration) and its namespace per test class, every
 * cache emptied and every counter zeroed before each test.
 */
abstract class KernelTest {
    static KernelDatapath dp;

    @BeforeAll
    static void startDatapath() {
        dp = KernelDatapath.start();
    }

    @AfterAll
    static void stopDatapath() {
        if (dp != null) {
            dp.close();
            dp = null;
        }
    }

    @BeforeEach
    void emptyCaches() {
        dp.reset();
    }
}
