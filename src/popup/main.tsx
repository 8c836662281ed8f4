import { render } from 'preact';
import { Popup } from './Popup.tsx';

const root = document.getElementById('root');
if (root) render(<Popup />, root);
