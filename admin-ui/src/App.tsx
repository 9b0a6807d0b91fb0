import { useEffect, useState } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { signOut, storedTokens } from './api';
import { Login } from './pages/Login';
import { Overview } from './pages/Overview';
import { Users } from './pages/Users';
import { UserDetail } from './pages/UserDetail';
import { Sessions } from './pages/Sessions';
import { Money } from './pages/Money';
import { Personas } from './pages/Personas';
import { Webhooks } from './pages/Webhooks';
import { System } from './pages/System';
import { Audit } from './pages/Audit';

const NAV = [
  ['/', 'Overview'],
  ['/users', 'Users'],
  ['/sessions', 'Sessions'],
  ['/money', 'Money'],
  ['/personas', 'Personas'],
  ['/webhooks', 'Webhooks'],
  ['/system', 'System'],
  ['/audit', 'Audit log'],
] as const;

function useSignedIn(): boolean {
  const [signedIn, setSignedIn] = useState(() => storedTokens() !== null);
  useEffect(() => {
    const update = () => setSignedIn(storedTokens() !== null);
    window.addEventListener('mindbot-auth', update);
    return () => window.removeEventListener('mindbot-auth', update);
  }, []);
  return signedIn;
}

export function App() {
  const signedIn = useSignedIn();
  const [location] = useLocation();
  if (!signedIn) return <Login />;
  const active = (href: string) => (href === '/' ? location === '/' : location.startsWith(href));
  return (
    <div className="layout">
      <nav className="sidebar" aria-label="Sections">
        <div className="brand">MindBot <span>Admin</span></div>
        <ul>
          {NAV.map(([href, label]) => (
            <li key={href}>
              <Link href={href} className={active(href) ? 'active' : ''} aria-current={active(href) ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
        <button type="button" className="secondary signout" onClick={() => void signOut()}>
          Sign out
        </button>
      </nav>
      <main>
        <Switch>
          <Route path="/" component={Overview} />
          <Route path="/users" component={Users} />
          <Route path="/users/:id">{(p) => <UserDetail id={p.id} />}</Route>
          <Route path="/sessions" component={Sessions} />
          <Route path="/money" component={Money} />
          <Route path="/personas" component={Personas} />
          <Route path="/webhooks" component={Webhooks} />
          <Route path="/system" component={System} />
          <Route path="/audit" component={Audit} />
          <Route>
            <h1>Not found</h1>
            <p>
              There is no page here. <Link href="/">Back to the overview</Link>.
            </p>
          </Route>
        </Switch>
      </main>
    </div>
  );
}
