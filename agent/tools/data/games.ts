/** Content for the game tools: clean jokes, video-game trivia, anagram words. */
export const JOKES: { theme: 'puns' | 'tech' | 'food' | 'animals' | 'science'; text: string }[] = [
  { theme: 'puns', text: 'I used to hate facial hair, but then it grew on me.' },
  { theme: 'puns', text: 'I\'m reading a book about anti-gravity. It\'s impossible to put down.' },
  { theme: 'puns', text: 'I told my wife she was drawing her eyebrows too high. She looked surprised.' },
  { theme: 'tech', text: 'There are 10 kinds of people: those who understand binary and those who don\'t.' },
  { theme: 'tech', text: 'Why do programmers prefer dark mode? Because light attracts bugs.' },
  { theme: 'tech', text: 'My Wi-Fi went down for five minutes, so I had to talk to my family. They seem like nice people.' },
  { theme: 'food', text: 'Why did the tomato blush? It saw the salad dressing.' },
  { theme: 'food', text: 'I only know 25 letters of the alphabet. I don\'t know y.' },
  { theme: 'food', text: 'What do you call a fake noodle? An impasta.' },
  { theme: 'animals', text: 'What do you call a fish with no eyes? A fsh.' },
  { theme: 'animals', text: 'Why don\'t cats play poker in the jungle? Too many cheetahs.' },
  { theme: 'animals', text: 'What do you call a sleeping bull? A bulldozer.' },
  { theme: 'science', text: 'Never trust an atom. They make up everything.' },
  { theme: 'science', text: 'A neutron walks into a bar and asks how much for a drink. The bartender says: for you, no charge.' },
  { theme: 'science', text: 'Why can\'t you trust a trampoline scientist? Their results keep bouncing.' },
];

export const TRIVIA: { question: string; answers: string[] }[] = [
  { question: 'What colour is Pac-Man?', answers: ['yellow'] },
  { question: 'Which company made the original Game Boy?', answers: ['nintendo'] },
  { question: 'In Tetris, how many blocks make up each piece?', answers: ['four', '4'] },
  { question: 'What is the name of the princess Mario usually rescues?', answers: ['peach', 'toadstool'] },
  { question: 'Which game has creepers that explode?', answers: ['minecraft'] },
  { question: 'What is Sonic the Hedgehog\'s sidekick fox called?', answers: ['tails'] },
  { question: 'In which year did the first Pokémon games come out in Japan?', answers: ['1996'] },
  { question: 'What is the hero of The Legend of Zelda called?', answers: ['link'] },
  { question: 'Which arcade game has you shoot descending rows of aliens?', answers: ['space invaders'] },
  { question: 'What does "NPC" stand for?', answers: ['non-player character', 'non player character'] },
];

export const WORDS = ['planet', 'guitar', 'rocket', 'garden', 'castle', 'pixel', 'dragon', 'puzzle', 'jungle', 'wizard', 'orange', 'island'];
