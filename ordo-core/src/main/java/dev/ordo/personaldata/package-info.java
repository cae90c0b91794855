/**
 * Personal data kept so that it can be forgotten (crypto-shredding): values are sealed with a key
 * per data subject before they are written anywhere, and destroying the key makes every copy —
 * the log, its replicas, Kafka, backups — unreadable at once, while the events around them stay.
 */
package dev.ordo.personaldata;
