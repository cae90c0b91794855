/** The reconciliation job: read models held against the log, differences reported and repaired. */
package dev.ordo.spring.verify;
