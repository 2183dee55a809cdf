/**
 * A Svelte 5 host, as docs/frameworks/svelte.md tells: the tags registered
 * before mount(), so Svelte sets getToken and customerId as properties.
 */
import 'clientela/define';
import { mount } from 'svelte';
import App from './App.svelte';

mount(App, { target: document.getElementById('app')! });
