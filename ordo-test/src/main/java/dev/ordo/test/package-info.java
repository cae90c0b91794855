/** The test kit: conformance suites every store must pass, a given/when/then fixture for deciders, an embedded PostgreSQL for tests. */
package dev.ordo.test;
