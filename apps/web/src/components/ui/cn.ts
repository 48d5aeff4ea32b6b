// Joins conditional class names (clsx); shared by every UI component.
import { type ClassValue, clsx } from 'clsx';

export function cn(...inputs: ClassValue[]): string {
  return clsx(inputs);
}
