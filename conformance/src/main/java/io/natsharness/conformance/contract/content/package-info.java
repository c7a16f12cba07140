/**
 * Contract checks of the content services (story_teller, environmental_narrative,
 * language_system, knowledge_base): one public class per service with a static
 * {@code checks()}, listed by {@link io.natsharness.conformance.contract.ContentUtilContracts}.
 *
 * <p>Choices where the contract left room:
 * <ul>
 *   <li>story_teller's beats are held to the documented prompt through ai_integration's own
 *       {@code get_generation}: the prompt, seed and temperature it was asked with, and the output
 *       that became the beat's text.</li>
 *   <li>environmental_narrative's text is rebuilt from the documented templates and compared
 *       whole; its phase and weather are compared with what time_manager and weather_manager
 *       answer for the same game hour, and an override proves the weather hop is real.</li>
 *   <li>language_system's translate checks use made-up words unique to the run, so no built-in
 *       dictionary is assumed; localize's plural checks need one fixture message
 *       ({@code quest.reward}, a plural on {@code count}) and compare its forms by CLDR category
 *       without assuming its wording.</li>
 *   <li>knowledge_base's facts carry a tag unique to the check, so searches see nothing else.</li>
 * </ul>
 *
 * <pre>{@code
 * List<Check> checks = StoryTellerChecks.checks();   // contract.story_teller.*
 * }</pre>
 */
package io.natsharness.conformance.contract.content;
