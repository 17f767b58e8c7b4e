// Every task by name: the one place that knows which tasks exist.
import type { TaskName } from '../config/schema.js';
import { classifyTask } from './classify.js';
import { forecastTask } from './forecast/index.js';
import type { Task } from './types.js';

export const TASKS: Record<TaskName, Task> = { forecast: forecastTask, classify: classifyTask };

export function taskOf(name: TaskName): Task {
  return TASKS[name];
}

export type * from './types.js';
export type * from './prediction.js';
