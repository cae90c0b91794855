/** The keys personal data is sealed with, in the {@code personal_data_keys} table of the log database. */
package dev.ordo.postgres.personaldata;
