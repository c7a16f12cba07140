/**
 * Small helpers shared by developer B's services (the {@code ai} and {@code game} domains): Lua
 * scripts, protobuf values in Redis strings, opaque page cursors, field checks, timestamps, and a
 * cross-process change signal for the long-lived streams. Kept apart from the other domains' kits
 * so that three developers can work on the module without stepping on each other.
 */
package io.natsharness.services.game.kit;
