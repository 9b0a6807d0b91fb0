import type { AgentSessionInfo } from '../platform/types.js';
import * as everyday from './everyday.js';
import * as learning from './learning.js';
import * as play from './play.js';
import * as premium from './premium.js';
import * as notes from './premium-notes.js';
import * as plans from './premium-plans.js';
import * as premiumPlay from './premium-play.js';
import * as premiumTech from './premium-tech.js';
import * as tech from './tech.js';
import { checkTimeBalance } from './time.js';
import type { AnyTool, ToolDeps, ToolFactory } from './types.js';
import * as wellness from './wellness.js';

/** Every tool a catalogue persona may list in `tools`, by its name there. */
export const TOOLS: Readonly<Record<string, ToolFactory>> = {
  check_time_balance: checkTimeBalance,
  web_summary: everyday.webSummary,
  set_reminder: everyday.setReminder,
  create_task_list: everyday.createTaskList,
  estimate_duration: everyday.estimateDuration,
  recipe_search: everyday.recipeSearch,
  unit_converter: everyday.unitConverter,
  cooking_timer: everyday.cookingTimer,
  create_quiz: learning.createQuiz,
  explain_concept: learning.explainConcept,
  suggest_resources: learning.suggestResources,
  timeline_lookup: learning.timelineLookup,
  translate_phrase: learning.translatePhrase,
  vocabulary_drill: learning.vocabularyDrill,
  pronunciation_feedback: learning.pronunciationFeedback,
  breathing_timer: wellness.breathingTimer,
  guided_meditation: wellness.guidedMeditation,
  ambient_sounds: wellness.ambientSounds,
  workout_timer: wellness.workoutTimer,
  rep_counter: wellness.repCounter,
  create_workout_plan: wellness.createWorkoutPlan,
  sleep_timer: wellness.sleepTimer,
  joke_generator: play.jokeGenerator,
  improv_prompt: play.improvPrompt,
  trivia_game: play.triviaGame,
  word_game: play.wordGame,
  scoreboard: play.scoreboard,
  dice_roller: play.diceRoller,
  story_state: play.storyState,
  inventory: play.inventory,
  explain_code: tech.explainCode,
  run_snippet: tech.runSnippet,
  debugging_checklist: tech.debuggingChecklist,
  explain_error: tech.explainError,
  capacity_estimator: tech.capacityEstimator,
  design_checklist: tech.designChecklist,
  mock_interview: tech.mockInterview,
};

/** Premium features that are tools; offered only when `persona.premium_features` lists them. */
export const PREMIUM_TOOLS: Readonly<Record<string, ToolFactory>> = {
  homework_checker: premium.homeworkChecker,
  study_plan_generator: premium.studyPlanGenerator,
  progress_tracking: premium.progressTracking,
  shopping_list: notes.shoppingList,
  meal_planner: notes.mealPlanner,
  mood_journal: notes.moodJournal,
  session_notes: notes.sessionNotes,
  bug_journal: notes.bugJournal,
  calendar_export: plans.calendarExport,
  weekly_review: plans.weeklyReview,
  custom_programs: plans.customPrograms,
  vocabulary_tracker: plans.vocabularyTracker,
  conversation_transcripts: plans.conversationTranscripts,
  timeline_builder: plans.timelineBuilder,
  era_deep_dives: plans.eraDeepDives,
  leaderboards: premiumPlay.leaderboards,
  game_modes: premiumPlay.gameModes,
  saved_campaigns: premiumPlay.savedCampaigns,
  character_sheets: premiumPlay.characterSheets,
  roast_battles: premiumPlay.roastBattles,
  custom_comedy_styles: premiumPlay.customComedyStyles,
  story_library: premiumPlay.storyLibrary,
  sleep_timer_fade: premiumPlay.sleepTimerFade,
  meditation_library: premiumPlay.meditationLibrary,
  code_review_sessions: premiumTech.codeReviewSessions,
  architecture_diagrams: premiumTech.architectureDiagrams,
  mock_interviews: premiumTech.mockInterviews,
  design_reviews: premiumTech.designReviews,
  long_term_memory: premiumTech.longTermMemory,
};

/**
 * The tools this call offers: the persona's own `tools`, plus the premium features the
 * platform says the user has now. A name the worker does not know is skipped (and returned,
 * so the caller can log it), never guessed.
 */
export function toolsFor(info: AgentSessionInfo, deps: ToolDeps): { tools: AnyTool[]; offered: string[]; unknown: string[] } {
  const tools: AnyTool[] = [];
  const offered: string[] = [];
  const unknown: string[] = [];
  const add = (name: string, factory: ToolFactory | undefined) => {
    if (factory && !offered.includes(name)) {
      tools.push(factory(deps));
      offered.push(name);
    } else if (!factory) unknown.push(name);
  };
  for (const name of info.persona.tools) add(name, TOOLS[name]);
  for (const name of info.persona.premium_features) if (!PREMIUM_BEHAVIOURS.has(name)) add(name, PREMIUM_TOOLS[name]);
  return { tools, offered, unknown };
}

/**
 * Premium features that are behaviours of the call rather than tools: `priority_voice` is the
 * premium TTS model (`ttsQualityFor` in agent/models.ts).
 */
export const PREMIUM_BEHAVIOURS = new Set(['priority_voice']);
