/** A Vue 3 host, as docs/frameworks/vue.md tells: the tags registered before mount(). */
import 'clientela/define';
import { createApp } from 'vue';
import App from './App.vue';

createApp(App).mount('#app');
