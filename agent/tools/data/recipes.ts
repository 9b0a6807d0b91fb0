/** The kitchen's recipe book (`recipe_search`): a small set of everyday dishes. */
export interface Recipe {
  name: string;
  minutes: number;
  ingredients: string[];
  steps: string[];
  safety?: string;
}

export const RECIPES: Recipe[] = [
  { name: 'Vegetable omelette', minutes: 15, ingredients: ['egg', 'butter', 'onion', 'pepper', 'cheese', 'salt'], steps: ['Whisk the eggs with a pinch of salt.', 'Soften onion and pepper in butter.', 'Pour in the eggs, let them set, add cheese, fold.'], safety: 'Cook eggs until no liquid egg remains.' },
  { name: 'Tomato pasta', minutes: 25, ingredients: ['pasta', 'tomato', 'garlic', 'olive oil', 'basil', 'salt'], steps: ['Boil the pasta in salted water.', 'Fry sliced garlic gently in olive oil, add chopped tomatoes, simmer 10 minutes.', 'Toss with the pasta and torn basil.'] },
  { name: 'Chicken stir-fry', minutes: 25, ingredients: ['chicken', 'rice', 'soy sauce', 'garlic', 'ginger', 'pepper', 'onion'], steps: ['Cook the rice.', 'Stir-fry sliced chicken until cooked through.', 'Add vegetables, garlic and ginger, then soy sauce; serve on the rice.'], safety: 'Chicken must reach 74 °C (165 °F) inside.' },
  { name: 'Lentil soup', minutes: 40, ingredients: ['lentil', 'onion', 'carrot', 'garlic', 'stock', 'cumin'], steps: ['Soften onion, carrot and garlic.', 'Add rinsed lentils, cumin and stock.', 'Simmer 25 minutes, season, blend half if you like.'] },
  { name: 'Pancakes', minutes: 20, ingredients: ['flour', 'egg', 'milk', 'butter', 'sugar'], steps: ['Whisk flour, sugar, egg and milk into a smooth batter.', 'Rest 5 minutes.', 'Cook ladlefuls in a buttered pan, flipping once bubbles appear.'] },
  { name: 'Bean chili', minutes: 45, ingredients: ['bean', 'tomato', 'onion', 'garlic', 'chili', 'cumin', 'pepper'], steps: ['Soften onion, garlic and pepper.', 'Add spices, tomatoes and drained beans.', 'Simmer 30 minutes until thick.'] },
  { name: 'Fried rice', minutes: 20, ingredients: ['rice', 'egg', 'pea', 'carrot', 'soy sauce', 'onion'], steps: ['Use cold cooked rice.', 'Scramble the egg, set aside.', 'Fry vegetables, then rice, add soy sauce and the egg.'], safety: 'Cool leftover rice quickly and keep it cold; reheat until steaming.' },
  { name: 'Baked salmon', minutes: 25, ingredients: ['salmon', 'lemon', 'olive oil', 'garlic', 'potato'], steps: ['Heat the oven to 200 °C.', 'Season salmon with oil, garlic and lemon.', 'Bake 12–15 minutes; serve with boiled potatoes.'], safety: 'Fish is done at 63 °C (145 °F) and flakes easily.' },
  { name: 'Greek salad', minutes: 10, ingredients: ['tomato', 'cucumber', 'onion', 'feta', 'olive', 'olive oil'], steps: ['Chop tomato, cucumber and onion.', 'Add olives and feta.', 'Dress with olive oil and a pinch of oregano.'] },
  { name: 'Banana oat cookies', minutes: 20, ingredients: ['banana', 'oat', 'cinnamon', 'raisin'], steps: ['Mash the bananas, stir in oats, cinnamon and raisins.', 'Spoon onto a tray.', 'Bake at 180 °C for 12–15 minutes.'] },
];
